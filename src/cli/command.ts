import type { CliContext } from './context';

/** One option of a command, as `node:util` parseArgs takes it plus what --help shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
  /** Shown in help after the flag: "--keep N". */
  valueName?: string;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

/**
 * A CLI command: one file under src/cli/commands exporting one of these,
 * listed in src/cli/commands/index.ts. `run` returns the exit code (or
 * nothing for 0) and throws GuildVaultError for failures; main maps those to
 * exit codes and one clear message.
 */
export interface CliCommand {
  name: string;
  /** One line, for the command list. */
  summary: string;
  /** Synopsis lines without the program name, e.g. "servers [--json]". */
  usage: string | string[];
  /** Paragraphs shown by `guild-vault <command> --help`. */
  description?: string;
  options?: Record<string, OptionSpec>;
  /** Whether this command talks to Discord (its help then explains DISCORD_TOKEN and --api). */
  usesDiscord?: boolean;
  /** Whether it reads or writes vaults (its help then explains --vault). */
  usesVault?: boolean;
  /** `snapshots list|diff|...`: the first positional picks one. */
  subcommands?: CliCommand[];
  run?(ctx: CliContext, args: ParsedArgs): Promise<number | void>;
}
