import * as path from 'node:path';

/**
 * How to run guild-vault again, as this process was started: `guild-vault`
 * when installed (the npm bin), `node dist/cli.js` from a clone, `npx tsx
 * src/cli/entry.ts` under tsx. Lines the CLI suggests then work as printed.
 */
export function cliInvocation(cwd: string, script: string | undefined = process.argv[1]): string {
  if (!script || path.basename(script) === 'guild-vault') return 'guild-vault';
  const relative = path.relative(cwd, script) || script;
  const shown = shellQuote(relative.startsWith('..') || path.isAbsolute(relative) ? script : relative);
  return script.endsWith('.ts') ? `npx tsx ${shown}` : `node ${shown}`;
}

/** A path or word as a POSIX shell reads it back: quoted only when it needs to be. */
export function shellQuote(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
