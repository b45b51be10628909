import { parseArgs } from 'node:util';
import { DEFAULTS, type NumberDefault } from '../core/defaults';
import { isSnowflake } from '../core/discord';
import { GuildVaultError } from '../core/errors';
import type { CliCommand, OptionSpec, ParsedArgs } from './command';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for the command.' },
  api: { type: 'string', valueName: 'URL', description: `Discord API base URL (default ${DEFAULTS.apiBaseUrl}, or $GUILD_VAULT_API). Your token is sent there.` },
  cdn: { type: 'string', valueName: 'URL', description: `Discord CDN base URL for avatars, icons, emojis (default ${DEFAULTS.cdnBaseUrl}, or $GUILD_VAULT_CDN).` },
  vault: { type: 'string', valueName: 'DIR', description: `Folder holding the vaults, one per server (default $GUILD_VAULT_DIR or ./${DEFAULTS.cliVaultFolder}).` },
  engine: {
    type: 'string',
    valueName: 'auto|native|wasm',
    description: `SQLite engine for the vault (default $GUILD_VAULT_ENGINE or ${DEFAULTS.storageEngine}: node:sqlite where Node has it, else WebAssembly SQLite, for vaults up to 1 GB).`,
  },
};

/** Splits argv into the command path ("snapshots list") and the rest. */
export function findCommand(argv: string[], table: CliCommand[]): { path: CliCommand[]; rest: string[] } {
  const path: CliCommand[] = [];
  const rest: string[] = [];
  let choices: CliCommand[] | undefined = table;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (token.startsWith('-')) {
      rest.push(token);
      // An option's value may be the next token: never take it as a command name.
      const known = { ...GLOBAL_OPTIONS, ...(path[path.length - 1]?.options ?? {}) };
      if (takesValue(token, known) && !token.includes('=') && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    const next: CliCommand | undefined = choices?.find((command) => command.name === token);
    if (next) {
      path.push(next);
      choices = next.subcommands;
      continue;
    }
    if (choices && path.length === 0) {
      throw usageError(`Unknown command "${token}".`, 'Run "guild-vault --help" for the list of commands.');
    }
    if (choices && path.length > 0 && !path[path.length - 1]!.run) {
      const parent = path.map((command) => command.name).join(' ');
      throw usageError(`Unknown command "${parent} ${token}".`, `Run "guild-vault ${parent} --help" for its commands.`);
    }
    rest.push(token);
    choices = undefined;
  }
  return { path, rest };
}

function takesValue(flag: string, options: Record<string, OptionSpec>): boolean {
  const name = flag.replace(/^--?/, '').split('=')[0]!;
  return Object.entries(options).some(([long, spec]) => spec.type === 'string' && (name === long || name === spec.short));
}

/** Parses a command's arguments (its options plus the global ones) strictly: unknown options are usage errors. */
export function parseCommandArgs(args: string[], command: CliCommand | undefined): ParsedArgs {
  const options = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
  const config = Object.fromEntries(
    Object.entries(options).map(([name, spec]) => [
      name,
      { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args, options: config, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    if (!String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    const where = command ? `guild-vault ${command.name} --help` : 'guild-vault --help';
    throw usageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '.')}`, `Run "${where}" for the options.`);
  }
}

export function usageError(message: string, hint: string): GuildVaultError {
  return new GuildVaultError('INVALID_ARGUMENT', message, hint);
}

/** The value of a string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positive integer option ("--keep 5"), or the fallback. */
export function integerOption(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw usageError(`--${name} needs a whole number, not "${text}".`, `For example --${name} 5.`);
  return Number(text);
}

/**
 * A whole-number option held to a default's range ("--concurrency 8"), or
 * undefined when not given: the engine then applies the default itself.
 */
export function rangedIntegerOption(args: ParsedArgs, name: string, setting: NumberDefault): number | undefined {
  const value = integerOption(args, name);
  if (value === undefined) return undefined;
  if (value < setting.min || (setting.max !== undefined && value > setting.max)) {
    const range = setting.max !== undefined ? `between ${setting.min} and ${setting.max}` : `at least ${setting.min}`;
    throw usageError(`--${name} must be ${range}.`, `For example --${name} ${setting.value}.`);
  }
  return value;
}

/** "1-16, default 4" for an option's help: the range and default from the engine's DEFAULTS. */
export function rangeAndDefault(setting: NumberDefault): string {
  return `${setting.max !== undefined ? `${setting.min}-${setting.max}, ` : ''}default ${setting.value}`;
}

/** The required positional at `index`, named `what` in the error. */
export function requirePositional(args: ParsedArgs, index: number, what: string, command: string): string {
  const value = args.positionals[index];
  if (value === undefined) throw usageError(`Missing ${what}.`, `Run "guild-vault ${command} --help" for the usage.`);
  return value;
}

const SERVER_ID_HINT = 'Server ids are 17-20 digit numbers; "guild-vault servers" lists the bot\'s servers.';

/** A guild id positional: a Discord id (see isSnowflake). */
export function requireGuildId(args: ParsedArgs, index: number, command: string): string {
  const id = requirePositional(args, index, 'the server id', command);
  if (!isSnowflake(id)) throw usageError(`"${id}" is not a server id.`, SERVER_ID_HINT);
  return id;
}

/** A --NAME SERVER_ID option, if given: a Discord id. */
export function guildIdOption(args: ParsedArgs, name: string): string | undefined {
  const id = stringOption(args, name);
  if (id !== undefined && !isSnowflake(id)) throw usageError(`--${name} "${id}" is not a server id.`, SERVER_ID_HINT);
  return id;
}
