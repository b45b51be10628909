import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscordClient } from '../../../src/core/discord';
import { applyRestore, planRestore, type RestorePlan } from '../../../src/core/restore';
import { listSnapshots, loadState, renderSections, takeSnapshot } from '../../../src/core/snapshots';
import { Vault } from '../../../src/core/vault';
import { DEFAULT_BOT_PERMISSIONS, startEmulator, type Emulator } from '../../../src/emulator';

type Json = Record<string, any>;

function tempVault(): Vault {
  return Vault.open(fs.mkdtempSync(path.join(os.tmpdir(), 'gv-restore-')), { purpose: 'test' });
}

/**
 * The roles and channels sections of a state's document with every snowflake
 * removed and lines sorted: equal when the structure is the same apart from
 * ids (re-created objects have new ones, and ties sort by id).
 */
function structureWithoutIds(vault: Vault, snapshotId: number, guildName?: string): string {
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

async function api(emu: Emulator, route: string, method: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${emu.apiBaseUrl}/v10${route}`, {
    method,
    headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${route}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? {} : ((await response.json()) as Json);
}

function posts(emu: Emulator, template: RegExp): number {
  return emu.requestLog.filter((entry: Json) => entry.method === 'POST' && template.test(String(entry.path ?? entry.route))).length;
}

describe('restore: from a snapshot, planned first', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let client: DiscordClient;
  let guildId: string;

  beforeEach(async () => {
    emu = await startEmulator({
      seed: 7,
      rateLimits: false,
      guilds: [
        { name: 'Guild Vault Demo', layout: 'showcase', messageScale: 0.05, members: 12, bans: 3 },
        { name: 'Migration Target', layout: 'plain', textChannels: 1, messagesPerChannel: 0, members: 3, botOwnsGuild: true },
      ],
    });
    client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
    guildId = emu.guildIds[0];
  });
  afterEach(async () => {
    client.dispose?.();
    await emu.close();
  });

  /** Deletes two roles below the bot, a category with its channels, and changes an overwrite and a role. */
  async function wreck(): Promise<void> {
    const roles = (await api(emu, `/guilds/${guildId}/roles`, 'GET')) as unknown as Json[];
    for (const name of ['Artist', 'Muted']) await api(emu, `/guilds/${guildId}/roles/${roles.find((r) => r.name === name)!.id}`, 'DELETE');
    const member = roles.find((r) => r.name === 'Member')!;
    await api(emu, `/guilds/${guildId}/roles/${member.id}`, 'PATCH', { name: 'Members (renamed)', color: 0x123456 });
    const channels = (await api(emu, `/guilds/${guildId}/channels`, 'GET')) as unknown as Json[];
    const guild = await api(emu, `/guilds/${guildId}`, 'GET');
    const required = new Set([guild.rules_channel_id, guild.public_updates_channel_id]);
    const category = channels.find((c) => c.type === 4 && channels.some((child) => child.parent_id === c.id && child.type === 0) && !channels.some((child) => child.parent_id === c.id && required.has(child.id)))!;
    for (const child of channels.filter((c) => c.parent_id === category.id)) await api(emu, `/channels/${child.id}`, 'DELETE');
    await api(emu, `/channels/${category.id}`, 'DELETE');
    // An overwrite of permissions the bot has itself (it may write only those).
    const writable = (o: Json) => o.type === 0 && o.id !== guildId && ((BigInt(o.allow) | BigInt(o.deny)) & ~DEFAULT_BOT_PERMISSIONS) === 0n;
    const withOverwrite = channels.find((c) => c.parent_id !== category.id && c.type !== 4 && (c.permission_overwrites ?? []).some(writable))!;
    const overwrite = withOverwrite.permission_overwrites.find(writable);
    await api(emu, `/channels/${withOverwrite.id}/permissions/${overwrite.id}`, 'DELETE');
    await api(emu, `/channels/${withOverwrite.id}/permissions/${guildId}`, 'PUT', { type: 0, allow: '0', deny: '2048' });
  }

  it('restores a wrecked server in place: the next snapshot matches the original apart from ids', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, client, guildId, { kind: 'manual', label: 'before' });
      await wreck();
      const plan = await planRestore(vault, client, { snapshotId: original.id, targetGuildId: guildId });
      const kinds = plan.actions.filter((a) => !a.blocked).map((a) => a.kind);
      assert.equal(kinds.filter((k) => k === 'role.create').length, 2);
      assert.ok(kinds.includes('role.update') && kinds.includes('channel.create') && kinds.includes('overwrite.put'));
      assert.ok(plan.actions.every((a) => a.kind !== 'role.delete' && a.kind !== 'channel.delete'), 'nothing new to delete');
      const report = await applyRestore(vault, client, plan);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      assert.ok(report.preRestoreSnapshotId !== undefined);
      assert.equal(listSnapshots(vault).find((s) => s.id === report.preRestoreSnapshotId)?.kind, 'pre-restore');
      const after = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      assert.equal(structureWithoutIds(vault, after.id), structureWithoutIds(vault, original.id));
      // A second plan finds nothing to do: the created roles and channels are found through id_map.
      const again = await planRestore(vault, client, { snapshotId: original.id, targetGuildId: guildId });
      assert.deepEqual(again.actions.filter((a) => !a.blocked).map((a) => `${a.kind} ${a.label}`), []);
    } finally {
      vault.close();
    }
  });
});
