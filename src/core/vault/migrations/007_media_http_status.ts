import type { Migration } from './index';

/**
 * Media downloads: the HTTP status of a failed download as a column
 * (`http_status`), so deciding what to retry is a comparison, not a text
 * search of the problem string. Backfilled from the problems recorded as
 * "... HTTP 404 ...". Failed attachment downloads that Discord answered with a
 * 4xx were never retried; most were expired signed links, which the
 * downloader now refreshes: they go back in the queue once.
 */
export const mediaHttpStatus: Migration = {
  version: 7,
  description: 'media download HTTP status',
  up(db) {
    db.exec(`
      ALTER TABLE media_refs ADD COLUMN http_status INTEGER;
      UPDATE media_refs SET http_status = CAST(substr(problem, instr(problem, 'HTTP ') + 5, 3) AS INTEGER)
        WHERE status = 'failed' AND instr(coalesce(problem, ''), 'HTTP ') > 0;
      UPDATE media_refs SET status = 'pending', problem = NULL, http_status = NULL
        WHERE status = 'failed' AND owner_kind = 'attachment' AND http_status BETWEEN 400 AND 499;
    `);
  },
};
