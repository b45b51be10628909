/**
 * Whether this Node has `node:sqlite` (Node 22.13+; VS Code 1.101+). Checked
 * before anything loads the engine (which imports it), so the extension and
 * the CLI can say in one line what is needed instead of failing with a stack.
 * Plain require, no engine imports: safe to call first thing.
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

/** The one line the CLI prints when node:sqlite is missing. */
export function nodeSqliteMissingLine(nodeVersion: string = process.versions.node): string {
  return `guild-vault: needs Node.js 22.13 or later (for its built-in node:sqlite); this is Node ${nodeVersion}. Install a current Node.js from https://nodejs.org and run it again.`;
}
