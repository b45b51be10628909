/** guild-vault: the command line over the same engine as the extension. */
import { describeError, GuildVaultError } from '../core/errors';
import { redactSecrets } from '../core/text';
import { terminalSafe } from '../presentation/terminalText';
import { findCommand, parseCommandArgs, usageError } from './args';
import type { CliCommand } from './command';
import { COMMANDS } from './commands';
import { CliContext, type CliIO } from './context';
import { ExitCode, exitCodeFor } from './exitCodes';
import { commandHelp, topLevelHelp } from './help';

/**
 * Runs one command line and returns its exit code. Never throws: failures
 * become one message (cause and fix) on stderr and the documented exit code.
 */
export async function runCli(argv: string[], io: CliIO, signal: AbortSignal = new AbortController().signal, commands: CliCommand[] = COMMANDS): Promise<number> {
  let context: CliContext | undefined;
  try {
    if (argv.length === 1 && argv[0] === '--version') {
      io.stdout.write(`${version()}\n`);
      return ExitCode.ok;
    }
    const { path, rest } = findCommand(argv, commands);
    const command = path[path.length - 1];
    const args = parseCommandArgs(rest, command);
    const name = path.map((part) => part.name).join(' ');
    if (!command) {
      io.stdout.write(topLevelHelp(commands));
      return args.values.help || argv.length === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (args.values.help || !command.run) {
      io.stdout.write(commandHelp(command, name));
      if (!command.run && !args.values.help) throw usageError(`"guild-vault ${name}" needs a command.`, `One of: ${(command.subcommands ?? []).map((sub) => sub.name).join(', ')}.`);
      return ExitCode.ok;
    }
    context = new CliContext(io, args, signal);
    if (command.usesVault) await context.useEngine();
    const code = (await command.run(context, args)) ?? ExitCode.ok;
    finishProgress(context);
    return code;
  } catch (error) {
    if (context) finishProgress(context);
    const code = exitCodeFor(error);
    // Before a context exists (bad arguments), the environment's secrets are still kept out.
    const scrub = (text: string) => (context ? context.scrub(text) : terminalSafe(redactSecrets(text, [io.env.DISCORD_TOKEN?.trim() ?? '', io.env.GUILD_VAULT_PASSPHRASE ?? ''])));
    if (error instanceof GuildVaultError) {
      io.stderr.write(`guild-vault: ${scrub(error.message)}\n`);
      if (error.hint) io.stderr.write(`  ${scrub(error.hint)}\n`);
    } else {
      // Not an error a user can act on: say so, with the stack for the bug report.
      io.stderr.write(`guild-vault: unexpected error: ${scrub(describeError(error))}\n`);
      if (error instanceof Error && error.stack && io.env.GUILD_VAULT_DEBUG) io.stderr.write(`${scrub(error.stack)}\n`);
    }
    return code;
  }
}

function finishProgress(context: CliContext): void {
  context.progress.done();
}

function version(): string {
  // esbuild inlines the JSON; tsx reads it from the repository.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../package.json') as { version: string }).version;
}

/**
 * The process entry: real streams, Ctrl+C or SIGTERM cancels (a second one
 * quits at once), exit code set for the shell. A cancel releases the vault
 * lock and keeps the work; SIGTERM (systemd, docker stop, kill) ends with 143
 * so a supervisor sees how the run ended, Ctrl+C with 130.
 */
export function runAsProcess(): void {
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const exitCodeOf = (signal: NodeJS.Signals | undefined) => (signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.cancelled);
  const stop = (signal: NodeJS.Signals) => {
    if (stoppedBy) process.exit(exitCodeOf(signal));
    stoppedBy = signal;
    process.stderr.write(signal === 'SIGINT' ? '\nStopping... (Ctrl+C again to quit at once)\n' : '\nStopping on SIGTERM... (send it again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // `guild-vault servers | head -1`: a reader that goes away is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.ok);
    throw error;
  });
  const io: CliIO = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), stdin: process.stdin };
  void runCli(process.argv.slice(2), io, controller.signal).then((result) => {
    const code = result === ExitCode.cancelled && stoppedBy ? exitCodeOf(stoppedBy) : result;
    process.exitCode = code;
    // Work may have stopped with sockets or timers still open (a cancelled
    // request finishing in the background): don't let them hold the shell.
    setTimeout(() => process.exit(code), 1000).unref();
  });
}

