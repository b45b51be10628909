/**
 * Characters that act instead of print: C0 controls but tab and line feed (ESC
 * starts colour, cursor and title sequences, BEL rings, CR overwrites the line,
 * NUL truncates in some terminals), DEL, the C1 controls (U+009B is a one-byte
 * CSI), the line and paragraph separators, and the bidirectional marks,
 * overrides and isolates that make text read in another order than it is
 * stored ("Trojan Source").
 */
const ACTING_CLASS = String.raw`\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069`;
const ACTING = new RegExp(`[${ACTING_CLASS}]`, 'g');
/** The same, and line feeds and tabs: for text that must stay on one line. */
const ACTING_OR_BREAKS = new RegExp(`[\\t\\n${ACTING_CLASS}]`, 'g');

/**
 * Text from Discord with every character that would act instead of print shown
 * as a `\u001b`-style escape (inside JSON a valid escape of the same character).
 * With `lineBreaks`, line feeds and tabs too: for text that must stay on one
 * line, such as a name in a line of a document, which must not start a line of
 * its own that reads like the tool's.
 */
export function escapeControls(text: string, options: { lineBreaks?: boolean } = {}): string {
  return text.replace(options.lineBreaks ? ACTING_OR_BREAKS : ACTING, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text from Discord for one line of a UI (a tree row, a notification, a search
 * result): every character that would act instead of print, and line feeds
 * and tabs, become spaces, where an escape would only be noise.
 */
export function plainText(text: string): string {
  return text.replace(ACTING_OR_BREAKS, ' ');
}
