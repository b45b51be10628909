import { GLOBAL_OPTIONS } from './args';
import type { CliCommand, OptionSpec } from './command';
import { EXIT_CODE_HELP } from './exitCodes';

const ENVIRONMENT_HELP = `Environment:
  DISCORD_TOKEN      the bot token, for commands that talk to Discord. Never a flag:
                     flags leak into shell history and \`ps\`.
  GUILD_VAULT_DIR    default for --vault
  GUILD_VAULT_API    default for --api
  GUILD_VAULT_CDN    default for --cdn
  GUILD_VAULT_ENGINE default for --engine
  GUILD_VAULT_DEBUG  set to 1 to print debug log lines`;

/** `guild-vault --help`. */
export function topLevelHelp(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return [
    'guild-vault: back up Discord servers into local vaults (messages, media, structure snapshots).',
    '',
    'Usage: guild-vault <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    '',
    'Global options:',
    ...formatOptions({ ...GLOBAL_OPTIONS, version: { type: 'boolean', description: 'Print the version.' } }),
    '',
    ENVIRONMENT_HELP,
    '',
    EXIT_CODE_HELP,
    '',
    'Run "guild-vault <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

/** `guild-vault <command> --help`. */
export function commandHelp(command: CliCommand, path: string): string {
  const usage = Array.isArray(command.usage) ? command.usage : [command.usage];
  const lines = [`guild-vault ${path}: ${command.summary}`, '', ...usage.map((line, index) => `${index === 0 ? 'Usage: ' : '       '}guild-vault ${line}`)];
  if (command.description) lines.push('', ...wrap(command.description.trim(), 78));
  if (command.subcommands?.length) {
    const width = Math.max(...command.subcommands.map((sub) => sub.name.length)) + 2;
    lines.push('', 'Commands:', ...command.subcommands.map((sub) => `  ${sub.name.padEnd(width)}${sub.summary}`));
  }
  if (command.options && Object.keys(command.options).length) lines.push('', 'Options:', ...formatOptions(command.options));
  const globals = Object.fromEntries(
    Object.entries(GLOBAL_OPTIONS).filter(([name]) => name === 'help' || ((name === 'api' || name === 'cdn') && command.usesDiscord) || ((name === 'vault' || name === 'engine') && command.usesVault)),
  );
  lines.push('', 'Global options:', ...formatOptions(globals));
  if (command.usesDiscord) lines.push('', 'The bot token is read from the DISCORD_TOKEN environment variable.');
  lines.push('', EXIT_CODE_HELP, '');
  return lines.join('\n');
}

function formatOptions(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(16, ...rows.map(([flag]) => flag.length)) + 2;
  return rows.map(([flag, description]) => `  ${flag.padEnd(width)}${description}`);
}

/** Wraps paragraphs (separated by blank lines) at `width` columns; lines starting with spaces are kept as they are. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const [index, paragraph] of text.split(/\n\s*\n/).entries()) {
    if (index > 0) out.push('');
    if (/^\s/m.test(paragraph)) {
      out.push(...paragraph.split('\n'));
      continue;
    }
    let line = '';
    for (const word of paragraph.split(/\s+/)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
  }
  return out;
}
