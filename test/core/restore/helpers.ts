import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RestorePlan } from '../../../src/core/restore';
import { loadState, renderSections } from '../../../src/core/snapshots';
import { Vault } from '../../../src/core/vault';
import type { Emulator } from '../../../src/emulator';

export type Json = Record<string, any>;

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

