import type { SearchTerm } from './queryParser';

/** [start, end) character offsets in a snippet. */
export type Highlight = [number, number];

export interface Snippet {
  text: string;
  highlights: Highlight[];
}

/** How long a snippet is, in characters, and how much comes before the first match. */
const SNIPPET_LENGTH = 160;
const LEAD = 40;

/**
 * Words as the index's tokenizer sees them (unicode61 with diacritics removed):
 * runs of letters, digits and combining marks, compared case- and accent-folded.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * Finds where the query's wanted words occur: each word of a term or phrase,
 * and for a prefix term the words that start with its last word. Computed here,
 * not by the engine, so highlights are the same with FTS5, FTS4 or a scan.
 */
export function highlighter(terms: readonly SearchTerm[]): (text: string) => Highlight[] {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const literals: string[] = [];
  for (const term of terms) {
    if (term.negated) continue;
    const words = fold(term.text).match(WORD) ?? [];
    if (words.length === 0 && term.text.trim()) literals.push(term.text.trim().toLowerCase());
    words.forEach((word, i) => (term.prefix && i === words.length - 1 ? prefixes.push(word) : exact.add(word)));
  }
  return (text) => {
    const found: Highlight[] = [];
    for (const match of text.matchAll(WORD)) {
      const word = fold(match[0]);
      if (exact.has(word) || prefixes.some((prefix) => word.startsWith(prefix))) found.push([match.index, match.index + match[0].length]);
    }
    const lower = text.toLowerCase();
    for (const literal of literals) {
      for (let at = lower.indexOf(literal); at >= 0; at = lower.indexOf(literal, at + literal.length)) found.push([at, at + literal.length]);
    }
    return found.sort((a, b) => a[0] - b[0]);
  };
}

/**
 * A one-line excerpt of the first text that has a match (content first, then
 * file names, embeds, thread name), around the first match, with the matches
 * marked. Control and bidirectional-override characters become spaces: this is
 * untrusted text headed for terminals and pickers.
 */
export function makeSnippet(texts: readonly string[], find: (text: string) => Highlight[]): Snippet {
  const candidates = texts.map((text) => oneLine(text)).filter((text) => text.length > 0);
  for (const text of candidates) {
    const highlights = find(text);
    if (highlights.length > 0) return cut(text, highlights);
  }
  return cut(candidates[0] ?? '', []);
}

function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function cut(text: string, highlights: Highlight[]): Snippet {
  if (text.length <= SNIPPET_LENGTH) return { text, highlights };
  const first = highlights[0]?.[0] ?? 0;
  let start = Math.max(0, Math.min(first - LEAD, text.length - SNIPPET_LENGTH));
  // Start at a word boundary when there is one near.
  const space = text.lastIndexOf(' ', start);
  if (start > 0 && space >= 0 && start - space < 15) start = space + 1;
  const end = Math.min(text.length, start + SNIPPET_LENGTH);
  const head = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  const shift = head.length - start;
  return {
    text: `${head}${text.slice(start, end)}${tail}`,
    highlights: highlights.filter(([from, to]) => from >= start && to <= end).map(([from, to]) => [from + shift, to + shift] as Highlight),
  };
}
