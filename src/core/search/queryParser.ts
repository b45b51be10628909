/**
 * The search syntax people know from Discord: words, "phrases", -word,
 * word* (prefix), and filters from:NAME, in:CHANNEL, has:KIND, before:DATE,
 * after:DATE, during:DATE, pinned:true|false, is:deleted|edited. Anything else
 * with a colon is a word. The parser never fails: what it cannot use becomes a
 * problem the front end shows, and nothing typed ever reaches SQL or the FTS
 * engine unescaped.
 */

export type HasKind = 'file' | 'image' | 'video' | 'link' | 'embed' | 'sticker' | 'poll';
export const HAS_KINDS: readonly HasKind[] = ['file', 'image', 'video', 'link', 'embed', 'sticker', 'poll'];

export interface SearchTerm {
  /** The word or phrase as typed (without quotes, minus sign or trailing '*'). */
  text: string;
  phrase: boolean;
  /** word*: any word starting with it. */
  prefix: boolean;
  negated: boolean;
}

export type SearchFilter =
  | { kind: 'from'; value: string; negated: boolean }
  | { kind: 'in'; value: string; negated: boolean }
  | { kind: 'has'; value: HasKind; negated: boolean }
  | { kind: 'is'; value: 'deleted' | 'edited'; negated: boolean }
  | { kind: 'pinned'; value: boolean }
  /** Snowflake time bounds in ms since 1970, UTC: [from, to). */
  | { kind: 'time'; from?: number; to?: number };

export interface ParsedQuery {
  terms: SearchTerm[];
  filters: SearchFilter[];
  /** What could not be used, said for a person ("before:2024-13-01 is not a date"). */
  problems: string[];
}

export interface ParseOptions {
  /** Treat the last bare word (of 3 or more characters) as a prefix: a query still being typed into a search box. */
  prefixLast?: boolean;
}

/** The shortest last word prefixLast takes as a prefix. */
const MIN_TYPED_PREFIX = 3;

const FILTER_KEYS = new Set(['from', 'in', 'has', 'before', 'after', 'during', 'pinned', 'is']);

export function parseSearchQuery(input: string, options: ParseOptions = {}): ParsedQuery {
  const query: ParsedQuery = { terms: [], filters: [], problems: [] };
  const tokens = tokenize(input);
  tokens.forEach((token, index) => {
    const filter = /^([a-z]+):(.*)$/is.exec(token.text);
    const key = filter?.[1]!.toLowerCase();
    if (filter && key && FILTER_KEYS.has(key) && !token.quotedWhole) {
      addFilter(query, key, unquote(filter[2]!), token.negated);
      return;
    }
    const last = index === tokens.length - 1;
    let text = token.quotedWhole ? unquote(token.text) : token.text;
    let prefix = false;
    if (!token.quotedWhole && text.endsWith('*')) {
      text = text.replace(/\*+$/, '');
      prefix = true;
    }
    if (text.trim() === '') return;
    // One or two letters would expand to most of the vocabulary: the engine merges every such word's list.
    if (!token.quotedWhole && options.prefixLast && last && !token.endedBySpace && !token.negated && [...text].length >= MIN_TYPED_PREFIX) prefix = true;
    query.terms.push({ text, phrase: token.quotedWhole, prefix, negated: token.negated });
  });
  return query;
}

interface RawToken {
  text: string;
  negated: boolean;
  /** The whole token was one "quoted phrase". */
  quotedWhole: boolean;
  /** Whitespace followed it (the user finished typing it). */
  endedBySpace: boolean;
}

/** Splits on whitespace outside quotes; a leading '-' negates; an unclosed quote runs to the end. */
function tokenize(input: string): RawToken[] {
  const tokens: RawToken[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/.test(input[i]!)) i++;
    if (i >= n) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < n && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    const start = i;
    let inQuote = false;
    while (i < n && (inQuote || !/\s/.test(input[i]!))) {
      if (input[i] === '"') inQuote = !inQuote;
      i++;
    }
    const text = input.slice(start, i);
    const quotedWhole = text.startsWith('"');
    tokens.push({ text, negated, quotedWhole, endedBySpace: i < n });
  }
  return tokens;
}

function unquote(text: string): string {
  return text.replace(/^"/, '').replace(/"$/, '').replace(/"/g, ' ').trim();
}

function addFilter(query: ParsedQuery, key: string, value: string, negated: boolean): void {
  if (value === '') {
    query.problems.push(`${key}: needs a value (e.g. ${example(key)}).`);
    return;
  }
  switch (key) {
    case 'from':
    case 'in':
      query.filters.push({ kind: key, value, negated });
      return;
    case 'has': {
      const kind = value.toLowerCase() as HasKind;
      if (!HAS_KINDS.includes(kind)) query.problems.push(`has:${value} is not known; use has:${HAS_KINDS.join('|')}.`);
      else query.filters.push({ kind: 'has', value: kind, negated });
      return;
    }
    case 'is': {
      const kind = value.toLowerCase();
      if (kind !== 'deleted' && kind !== 'edited') query.problems.push(`is:${value} is not known; use is:deleted or is:edited.`);
      else query.filters.push({ kind: 'is', value: kind, negated });
      return;
    }
    case 'pinned': {
      const flag = /^(true|yes|1)$/i.test(value) ? true : /^(false|no|0)$/i.test(value) ? false : undefined;
      if (flag === undefined) query.problems.push(`pinned:${value}: use pinned:true or pinned:false.`);
      else query.filters.push({ kind: 'pinned', value: negated ? !flag : flag });
      return;
    }
    default: {
      const range = dateRange(value);
      if (!range) {
        query.problems.push(`${key}:${value} is not a date; use YYYY-MM-DD, YYYY-MM, YYYY or an ISO time (UTC).`);
        return;
      }
      // Discord's meaning: before a day excludes that day, after a day starts the day after.
      const bounds = key === 'before' ? { to: range.from } : key === 'after' ? { from: range.to } : { from: range.from, to: range.to };
      if (negated) query.problems.push(`-${key}: is not supported; use ${key === 'before' ? 'after' : 'before'}: instead.`);
      else query.filters.push({ kind: 'time', ...bounds });
    }
  }
}

function example(key: string): string {
  return { from: 'from:alice', in: 'in:general', has: 'has:image', is: 'is:edited', pinned: 'pinned:true' }[key] ?? `${key}:2024-03-01`;
}

/** A date or time (UTC) as the period it names, [from, to) in ms. */
export function dateRange(value: string): { from: number; to: number } | undefined {
  let match = /^(\d{4})$/.exec(value);
  if (match) return period(Number(match[1]), 0, 1, (y, m, d) => [y + 1, m, d]);
  match = /^(\d{4})-(\d{1,2})$/.exec(value);
  if (match) return period(Number(match[1]), Number(match[2]) - 1, 1, (y, m, d) => [y, m + 1, d]);
  match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (match) return period(Number(match[1]), Number(match[2]) - 1, Number(match[3]), (y, m, d) => [y, m, d + 1]);
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) {
    const at = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
    return Number.isFinite(at) ? { from: at, to: at + 1 } : undefined;
  }
  return undefined;
}

function period(year: number, month: number, day: number, next: (y: number, m: number, d: number) => [number, number, number]): { from: number; to: number } | undefined {
  const from = Date.UTC(year, month, day);
  const check = new Date(from);
  // Date.UTC rolls 2024-02-31 over into March: such a date does not exist.
  if (month > 11 || day < 1 || check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return { from, to: Date.UTC(...next(year, month, day)) };
}
