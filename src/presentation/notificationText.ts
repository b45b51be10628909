/**
 * VS Code's notifications render `[label](https:... | command:... | file:...)`
 * as links, and open them with command URIs allowed: a server called
 * "[Resume](command:workbench.action.terminal.sendSequence?...)" would put a
 * button in a Guild Vault notification that types into the user's terminal.
 * Text from Discord that may reach a notification goes through inertLinks: a
 * zero-width space between `]` and `(` leaves it reading the same and no
 * longer a link (there is no escape in that syntax).
 */
export function inertLinks(text: string): string {
  return text.replace(/\](?=\()/g, ']\u200b');
}
