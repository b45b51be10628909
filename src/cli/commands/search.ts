import { searchMessages, type SearchResult } from '../../core/search';
import { hitMarks, hitTime, hitWhere, plainText, snippetPieces } from '../../presentation/searchText';
import { DEFAULTS } from '../../core/defaults';
import { rangeAndDefault, rangedIntegerOption, requireGuildId, stringOption, usageError } from '../args';
import type { CliCommand } from '../command';
import type { CliContext } from '../context';
import { ExitCode } from '../exitCodes';
import { isSnowflake } from '../../core/discord';

export const searchCommand: CliCommand = {
  name: 'search',
  summary: "Search a vault's archived messages.",
  usage: ['search <server-id> <query...> [--limit N] [--before MESSAGE-ID] [--aliases] [--json]', 'search <server-id> -- <query with -words...>'],
  description:
    'Finds archived messages by their words, newest first: the text, file names, embed titles and descriptions, and thread names. ' +
    'Query syntax: words (all must match), "exact phrases", word* (prefix), -word (exclude), from:NAME (user name, display name or alias), ' +
    'in:CHANNEL (a channel with its threads, or a thread), has:file|image|video|link|embed|sticker|poll, before:DATE, after:DATE, during:DATE ' +
    '(YYYY-MM-DD, YYYY-MM or YYYY, UTC), pinned:true|false, is:deleted|edited; -from:, -in:, -has: and -is: exclude. ' +
    'Put the query in quotes, or after "--" when it starts with "-". Messages deleted on Discord are kept in the vault and found, marked as such. ' +
    'Read-only: it can run while a backup is running. Exits 1 when nothing matches.',
  usesVault: true,
  options: {
    limit: { type: 'string', valueName: 'N', description: `How many results to show (${rangeAndDefault(DEFAULTS.searchResults)}).` },
    before: { type: 'string', valueName: 'MESSAGE-ID', description: 'Only messages older than this one: the next page (the end of the output names it).' },
    aliases: { type: 'boolean', description: 'Show authors as privacy aliases ("SwiftFox") instead of their names.' },
    json: { type: 'boolean', description: 'Print the results as JSON (query, engine, hits with snippet and highlight offsets, next).' },
  },
  async run(ctx, args) {
    const guildId = requireGuildId(args, 0, 'search');
    const text = args.positionals.slice(1).join(' ').trim();
    if (!text) throw usageError('Missing the query.', 'For example: guild-vault search SERVER-ID "brown fox from:alice".');
    const limit = rangedIntegerOption(args, 'limit', DEFAULTS.searchResults);
    const before = stringOption(args, 'before');
    if (before !== undefined && !isSnowflake(before)) throw usageError(`--before "${before}" is not a message id.`, 'Use the id the previous page ended with.');
    const vault = ctx.vaultStore().open(guildId, { mode: 'read' });
    let result: SearchResult;
    try {
      result = searchMessages(vault, text, { limit, before, aliases: args.values.aliases === true });
    } finally {
      vault.close();
    }
    if (result.query.problems.length > 0) {
      throw usageError(`The query has problems: ${result.query.problems.join(' ')}`, 'Run "guild-vault search --help" for the query syntax.');
    }
    if (args.values.json) ctx.out(JSON.stringify(result, null, 2));
    else printResult(ctx, guildId, text, result);
    return result.hits.length > 0 ? ExitCode.ok : ExitCode.failure;
  },
};

function printResult(ctx: CliContext, guildId: string, text: string, result: SearchResult): void {
  if (result.notice) ctx.err(`note: ${result.notice}`);
  for (const problem of result.problems) ctx.err(plainText(problem));
  for (const hit of result.hits) {
    const marks = hitMarks(hit);
    ctx.out(`${hitTime(hit)}  ${hitWhere(hit)}  ${plainText(hit.authorName)}${marks ? `  (${marks})` : ''}  [${hit.messageId}]`);
    ctx.outWithBold([{ text: '  ', marked: false }, ...snippetPieces(hit)]);
  }
  if (result.hits.length === 0) ctx.out('No messages found.');
  if (result.next) ctx.out(`More: guild-vault search ${guildId} ${shellQuoted(text)} --before ${result.next}`);
}

/** The query as one shell word, to paste back. */
function shellQuoted(text: string): string {
  return `'${plainText(text).replace(/'/g, `'\\''`)}'`;
}
