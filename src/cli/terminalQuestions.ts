import * as readline from 'node:readline/promises';
import { Writable } from 'node:stream';
import { cancelled, GuildVaultError } from '../core/errors';
import type { CliContext } from './context';

/**
 * Asks a yes/no question on the terminal, for what cannot be undone. Where
 * there is no terminal (CI, cron, a pipe) nobody can answer: the command must
 * have been given `--yes`, or it stops before changing anything.
 */
export async function confirmOnTerminal(ctx: CliContext, question: string, options: { yes: boolean; what: string }): Promise<void> {
  if (options.yes) return;
  const stdin = ctx.io.stdin;
  if (!stdin?.isTTY || ctx.io.stderr.isTTY !== true) {
    throw new GuildVaultError('INVALID_ARGUMENT', `${options.what} needs a confirmation, and there is no terminal to ask.`, 'Review it with --dry-run, then run it again with --yes.');
  }
  const prompt = readline.createInterface({ input: stdin, output: ctx.io.stderr as NodeJS.WritableStream });
  try {
    const answer = await prompt.question(`${question} [y/N] `, { signal: ctx.signal }).catch((error: unknown) => {
      throw ctx.signal.aborted ? cancelled() : error;
    });
    if (!/^(y|yes)$/i.test(answer.trim())) throw new GuildVaultError('CANCELLED', `${options.what} was not confirmed; nothing was changed.`);
  } finally {
    prompt.close();
  }
}

/**
 * Asks for a secret (a passphrase) on the terminal without echoing it; undefined where there is
 * no terminal, so the caller can name the environment variable to set instead.
 */
export async function askSecretOnTerminal(ctx: CliContext, question: string): Promise<string | undefined> {
  const stdin = ctx.io.stdin;
  if (!stdin?.isTTY || ctx.io.stderr.isTTY !== true) return undefined;
  const output = ctx.io.stderr as NodeJS.WritableStream;
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() }); // what is typed is not shown
  const prompt = readline.createInterface({ input: stdin, output: muted, terminal: true });
  output.write(question);
  try {
    return await prompt.question('', { signal: ctx.signal }).catch((error: unknown) => {
      throw ctx.signal.aborted ? cancelled() : error;
    });
  } finally {
    output.write('\n');
    prompt.close();
  }
}
