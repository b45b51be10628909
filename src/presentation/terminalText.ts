/**
 * Characters that a terminal acts on instead of showing: C0 controls but tab
 * and line feed (ESC starts colour, cursor and title sequences, BEL rings, CR
 * overwrites the line, NUL truncates in some terminals), DEL, the C1 controls
 * (U+009B is a one-byte CSI), and the bidirectional overrides and isolates
 * that make text read in another order than it is stored ("Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from Discord (names, labels, message content) and from errors made of
 * it, made safe to write to a terminal: every character that would act
 * instead of print is shown as an escape (`\u001b`, `\u202e`), so a channel
 * named "\u001b]0;pwned\u0007" prints as text and retitles no window. The one
 * sanitiser every CLI writer uses (results, messages, progress lines, errors).
 */
export function terminalSafe(text: string): string {
  // \uXXXX for all of them: readable, and inside JSON output (`--json`) a valid escape of the same character.
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * terminalSafe for text that must stay on one line (a progress line): line
 * feeds are shown as escapes too, so a name cannot start a line of its own
 * that reads like the tool's ("error: ...") or break the line drawn in place.
 */
export function terminalSafeLine(text: string): string {
  return terminalSafe(text).replace(/\n/g, '\\u000a');
}
