import { plainText } from '../../presentation/searchText';

/**
 * Text from Discord (a server's or channel's name) as VS Code shows it in a row, a title or a
 * notification: control and bidi characters become spaces (a \u202e must not turn the rest of a
 * line around), and a markdown link loses its power. A notification renders
 * `[text](command:...)` as a link that runs the command; a zero-width space between `]` and `(`
 * keeps the text as it reads and makes it no link.
 */
export function shownText(text: string): string {
  return plainText(text).replace(/\]\(/g, ']\u200b(');
}
