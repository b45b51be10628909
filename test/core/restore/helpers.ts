import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscordClient } from '../../../src/core/discord';
import type { RestorePlan } from '../../../src/core/restore';
import { loadState, renderSections } from '../../../src/core/snapshots';
import { Vault } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';

export type Json = Record<string, any>;

/** An emulator, a client of it and the demo server's id: what every restore test starts from. */
export interface RestoreWorld {
  emu: Emulator;
  client: DiscordClient;
  guildId: string;
}

/**
 * The demo server (emu.guildIds[0]) and two plain targets: [1] owned by the
 * bot (nothing is above it there), [2] where the bot is an ordinary member.
 */
async function startRestoreWorld(): Promise<RestoreWorld> {
  const emu = await startEmulator({
    seed: 7,
    rateLimits: false,
    guilds: [
      { name: 'Guild Vault Demo', layout: 'showcase', messageScale: 0.05, members: 12, bans: 3 },
      { name: 'Migration Target', layout: 'plain', textChannels: 1, messagesPerChannel: 0, members: 3, botOwnsGuild: true },
      { name: 'Other Target', layout: 'plain', textChannels: 1, messagesPerChannel: 0, members: 3 },
    ],
  });
  const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
  return { emu, client, guildId: emu.guildIds[0] };
}

async function stopRestoreWorld(world: RestoreWorld): Promise<void> {
  world.client.dispose();
  await world.emu.close();
}

/** A fresh RestoreWorld for each test of the calling describe block (its fields are replaced before each). */
export function useRestoreWorld(): RestoreWorld {
  const world = {} as RestoreWorld;
  beforeEach(async () => Object.assign(world, await startRestoreWorld()));
  afterEach(() => stopRestoreWorld(world));
  return world;
}

export function tempVault(): Vault {
  return Vault.open(fs.mkdtempSync(path.join(os.tmpdir(), 'gv-restore-')), { purpose: 'test' });
}

/** Closes a tempVault and removes its folder. */
export function removeVault(vault: Vault): void {
  vault.close();
  fs.rmSync(vault.dir, { recursive: true, force: true });
}

/**
 * The roles and channels sections of a state's document with every snowflake
 * removed and lines sorted: equal when the structure is the same apart from
 * ids (re-created objects have new ones, and ties sort by id).
 */
export function structureWithoutIds(vault: Vault, snapshotId: number, guildName?: string): string {
  const sections = renderSections(loadState(vault, snapshotId)).filter((s) => s.id === 'roles' || s.id === 'channels');
  return sections
    .map((s) =>
      s.text
        .split('\n')
        .map((line) => line.replace(/\d{15,20}/g, 'ID').replace(guildName ?? '\u0000', 'GUILD'))
        .sort()
        .join('\n'),
    )
    .join('\n');
}

export async function api(emu: Emulator, route: string, method: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${emu.apiBaseUrl}/v10${route}`, {
    method,
    headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${route}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? {} : ((await response.json()) as Json);
}

/** Successful creates of roles and channels in a guild, as the emulator saw them. */
export function creates(emu: Emulator, guildId: string): number {
  return emu.requestLog.filter((e) => e.method === 'POST' && e.status < 300 && (e.path === `/guilds/${guildId}/roles` || e.path === `/guilds/${guildId}/channels`)).length;
}

export function createActions(plan: RestorePlan): number {
  return plan.actions.filter((a) => !a.blocked && (a.kind === 'role.create' || a.kind === 'channel.create')).length;
}

