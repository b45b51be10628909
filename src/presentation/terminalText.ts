import { escapeControls } from '../core/text';

/**
 * Text from Discord (names, labels, message content) and from errors made of
 * it, made safe to write to a terminal: every character that would act
 * instead of print (core/text escapeControls: ESC, BEL, CR, C1 codes, bidi
 * overrides) is shown as an escape (`\u001b`, `\u202e`), so a channel named
 * "\u001b]0;pwned\u0007" prints as text and retitles no window. The one
 * sanitiser every CLI writer uses (results, messages, progress lines, errors).
 * Tabs and line feeds stay: message text has lines.
 */
export function terminalSafe(text: string): string {
  return escapeControls(text);
}

/**
 * terminalSafe for text that must stay on one line (a progress line): line
 * feeds and tabs are shown as escapes too, so a name cannot start a line of its
 * own that reads like the tool's ("error: ...") or break the line drawn in place.
 */
export function terminalSafeLine(text: string): string {
  return escapeControls(text, { lineBreaks: true });
}
