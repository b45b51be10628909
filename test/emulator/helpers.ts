/** Plain HTTP helpers for emulator tests: real requests over 127.0.0.1, no client library in between. */
import type { Emulator } from '../../src/emulator';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(
  emu: Emulator,
  path: string,
  init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  const token = init.token === undefined ? emu.token : init.token;
  if (token !== null) headers.Authorization = `Bot ${token}`;
  if (init.body !== undefined && typeof init.body !== 'string') headers['Content-Type'] = 'application/json';
  const res = await fetch(`${emu.apiBaseUrl}/v10${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** The demo guild's channel with this name. */
export function channelNamed(emu: Emulator, name: string, guildId = emu.guildIds[0]) {
  const guild = emu.world.guild(guildId)!;
  const channel = [...guild.channels.values(), ...guild.threads.values()].find((c) => c.name === name);
  if (!channel) throw new Error(`no channel ${name}`);
  return channel;
}
