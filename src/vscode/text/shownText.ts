import { inertLinks } from '../../presentation/notificationText';
import { plainText } from '../../presentation/searchText';

/**
 * Text from Discord (a server's or channel's name) as VS Code shows it in a row, a title or a
 * notification: control and bidi characters become spaces (a \u202e must not turn the rest of a
 * line around), and a markdown link is made inert (inertLinks), since a notification renders
 * `[text](command:...)` as a link that runs the command.
 */
export function shownText(text: string): string {
  return inertLinks(plainText(text));
}
