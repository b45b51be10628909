/**
 * Whether this extension host's Node has `node:sqlite` (Node 22.13+, VS Code
 * 1.101+). Checked once at activation, before anything opens a vault, so an
 * old VS Code gets a clear message instead of a stack trace.
 */
export function detectNodeSqlite(): { ok: true } | { ok: false; reason: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sqlite = require('node:sqlite') as { DatabaseSync?: unknown };
    if (typeof sqlite.DatabaseSync !== 'function') return { ok: false, reason: 'node:sqlite has no DatabaseSync' };
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
