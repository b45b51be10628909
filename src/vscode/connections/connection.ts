/**
 * A connected bot. Only its identity and where its API lives are stored in
 * globalState; the token lives in SecretStorage under `secretKey(id)`.
 */
export interface Connection {
  /** The bot's user id: one connection per bot. */
  id: string;
  /** The bot's name, for the tree. */
  name: string;
  /** API base URL this connection was made against (a proxy or the emulator); absent = the setting. */
  apiBaseUrl?: string;
  cdnBaseUrl?: string;
  /** The in-process demo emulator: kept in memory only, it ends with this VS Code window. */
  demo?: boolean;
}

export function secretKey(connectionId: string): string {
  return `guildVault.token.${connectionId}`;
}
