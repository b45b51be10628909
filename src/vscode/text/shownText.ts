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

/**
 * An error notification's line: the detail comes from Discord or the disk (an API error's
 * message, a channel's name in it), so it is shown like any text from Discord.
 */
export function errorNotificationText(context: string, detail: string): string {
  return `Guild Vault: ${context}: ${shownText(detail)}`;
}
