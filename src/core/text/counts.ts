/**
 * Counts as people read them: "2,125 files", "1 rate-limit wait",
 * "2 entries". The one way every front end (CLI, VS Code) and every engine
 * message says how many of something there are; machine-readable output
 * (--json, CSV, file formats) keeps plain numbers and never comes here.
 */

/** 12345 -> "12,345" (thousands separators; rounded to a whole number). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/**
 * Nouns whose plural no rule gives. The rules below cover the rest of what
 * Guild Vault counts: "entry" -> "entries", "match" -> "matches",
 * "wait" -> "waits".
 */
const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  child: 'children',
  media: 'media',
  data: 'data',
};

/**
 * The plural of a noun, or of the last word of a phrase ("rate-limit wait" ->
 * "rate-limit waits", "earlier version" -> "earlier versions").
 */
export function pluralOf(noun: string): string {
  const at = Math.max(noun.lastIndexOf(' '), noun.lastIndexOf('-')) + 1;
  const head = noun.slice(0, at);
  const word = noun.slice(at);
  return head + pluralOfWord(word);
}

function pluralOfWord(word: string): string {
  const lower = word.toLowerCase();
  const irregular = IRREGULAR_PLURALS[lower];
  if (irregular !== undefined) return word === lower ? irregular : irregular[0]!.toUpperCase() + irregular.slice(1);
  // "entry" -> "entries"; "day", "key" (a vowel before the y) are regular.
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

/** The noun in the number it goes with: nounFor(1, 'file') -> "file", nounFor(2, 'file') -> "files". */
export function nounFor(count: number, noun: string, pluralForm?: string): string {
  return count === 1 ? noun : (pluralForm ?? pluralOf(noun));
}

/**
 * A part of a whole: partOf(3, 41, 'channel') -> "3 of 41 channels". The noun
 * stays plural, as people say it ("1 of 1 channels", "0 of 2 images").
 */
export function partOf(part: number, whole: number, noun: string, pluralForm?: string): string {
  return `${formatCount(part)} of ${formatCount(whole)} ${pluralForm ?? pluralOf(noun)}`;
}

/**
 * A count with its noun: plural(0, 'file') -> "0 files", plural(1, 'file') ->
 * "1 file", plural(2125, 'file') -> "2,125 files", plural(2, 'entry') ->
 * "2 entries". `pluralForm` for a phrase whose plural is not its last word's.
 */
export function plural(count: number, noun: string, pluralForm?: string): string {
  return `${formatCount(count)} ${nounFor(count, noun, pluralForm)}`;
}
