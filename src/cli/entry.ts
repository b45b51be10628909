/**
 * The guild-vault executable (dist/cli.js). Checks for node:sqlite before the
 * engine is loaded: on a Node without it, one clear line and exit code 1
 * instead of a module-loading stack trace.
 */
import { detectNodeSqlite, nodeSqliteMissingLine } from '../core/runtime/nodeSqlite';

const sqlite = detectNodeSqlite();
if (!sqlite.ok) {
  process.stderr.write(`${nodeSqliteMissingLine()}\n`);
  process.exitCode = 1;
} else {
  // Required only now: the bundle initialises the engine (and node:sqlite) here, not at load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./main') as typeof import('./main')).runAsProcess();
}
