// A Discord emulator (src/emulator) started inside the extension host, beside the extension: the
// tests own its token and its world, so they can connect to it like a user and change the server
// between two snapshots.
import { startEmulator } from '../../../src/emulator';
import { runCommand } from './commands';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export async function startTestEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  return startEmulator({ seed: 6, size: 'small', rateLimits: false, ...options });
}

export interface Connected {
  id: string;
  name: string;
  servers: number;
}

/** Connects the emulator's bot the way Connect Bot Token does, with the emulator as the API. */
export async function connectTo(emulator: Emulator, token: string = emulator.token): Promise<Connected | undefined> {
  return runCommand<Connected>('guildVault.connect', token, { apiBaseUrl: emulator.apiBaseUrl, cdnBaseUrl: emulator.cdnBaseUrl });
}

/** Calls the emulator's Discord API as the bot (e.g. to change the server between two snapshots). */
export async function discordApi<T>(emulator: Emulator, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.apiBaseUrl}/v10${route}`, {
    method,
    headers: { authorization: `Bot ${emulator.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
