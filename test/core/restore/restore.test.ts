import * as assert from 'node:assert/strict';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { Job } from '../../../src/core/job';
import { applyRestore, planRestore } from '../../../src/core/restore';
import { listSnapshots, loadState, takeSnapshot } from '../../../src/core/snapshots';
import { DEFAULT_BOT_PERMISSIONS } from '../../../src/emulator';

import { api, creates, createActions, structureWithoutIds, removeVault, tempVault, useRestoreWorld, type Json } from './helpers';

describe('restore: from a snapshot, planned first', function () {
  this.timeout(120_000);
  const w = useRestoreWorld();

  /** Deletes two roles below the bot, a category with its channels, and changes an overwrite and a role. */
  async function wreck(): Promise<void> {
    const roles = (await api(w.emu, `/guilds/${w.guildId}/roles`, 'GET')) as unknown as Json[];
    for (const name of ['Artist', 'Muted']) await api(w.emu, `/guilds/${w.guildId}/roles/${roles.find((r) => r.name === name)!.id}`, 'DELETE');
    const member = roles.find((r) => r.name === 'Member')!;
    await api(w.emu, `/guilds/${w.guildId}/roles/${member.id}`, 'PATCH', { name: 'Members (renamed)', color: 0x123456 });
    const channels = (await api(w.emu, `/guilds/${w.guildId}/channels`, 'GET')) as unknown as Json[];
    const guild = await api(w.emu, `/guilds/${w.guildId}`, 'GET');
    const required = new Set([guild.rules_channel_id, guild.public_updates_channel_id]);
    const category = channels.find((c) => c.type === 4 && channels.some((child) => child.parent_id === c.id && child.type === 0) && !channels.some((child) => child.parent_id === c.id && required.has(child.id)))!;
    for (const child of channels.filter((c) => c.parent_id === category.id)) await api(w.emu, `/channels/${child.id}`, 'DELETE');
    await api(w.emu, `/channels/${category.id}`, 'DELETE');
    // An overwrite of permissions the bot has itself (it may write only those).
    const writable = (o: Json) => o.type === 0 && o.id !== w.guildId && ((BigInt(o.allow) | BigInt(o.deny)) & ~DEFAULT_BOT_PERMISSIONS) === 0n;
    const withOverwrite = channels.find((c) => c.parent_id !== category.id && c.type !== 4 && (c.permission_overwrites ?? []).some(writable))!;
    const overwrite = withOverwrite.permission_overwrites.find(writable);
    await api(w.emu, `/channels/${withOverwrite.id}/permissions/${overwrite.id}`, 'DELETE');
    await api(w.emu, `/channels/${withOverwrite.id}/permissions/${w.guildId}`, 'PUT', { type: 0, allow: '0', deny: '2048' });
    const emoji = [...w.emu.world.guild(w.guildId)!.emojis.values()].find((e) => !e.animated)!;
    await api(w.emu, `/guilds/${w.guildId}/emojis/${emoji.id}`, 'DELETE');
    const renamed = channels.find((c) => c.type === 0 && c.parent_id !== category.id && !required.has(c.id))!;
    await api(w.emu, `/channels/${renamed.id}`, 'PATCH', { name: 'renamed-by-a-raider', topic: 'gone', nsfw: true });
  }

  async function emojiImage(id: string): Promise<Buffer> {
    const response = await fetch(`${w.emu.cdnBaseUrl}/emojis/${id}.png`);
    assert.equal(response.status, 200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('restores a wrecked server in place: the next snapshot matches the original apart from ids', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual', label: 'before' });
      const emoji = [...w.emu.world.guild(w.guildId)!.emojis.values()].find((e) => !e.animated)!;
      const image = await emojiImage(emoji.id!);
      await wreck();
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      const kinds = plan.actions.filter((a) => !a.blocked).map((a) => a.kind);
      assert.equal(kinds.filter((k) => k === 'role.create').length, 2);
      assert.ok(['role.update', 'channel.create', 'channel.update', 'channel.reorder', 'role.reorder', 'overwrite.put', 'emoji.create'].every((k) => kinds.includes(k as never)), kinds.join());
      assert.ok(plan.actions.every((a) => a.kind !== 'role.delete' && a.kind !== 'channel.delete'), 'nothing new to delete');
      const report = await applyRestore(vault, w.client, plan);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      assert.ok(report.preRestoreSnapshotId !== undefined);
      assert.equal(listSnapshots(vault).find((s) => s.id === report.preRestoreSnapshotId)?.kind, 'pre-restore');
      const after = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      assert.equal(structureWithoutIds(vault, after.id), structureWithoutIds(vault, original.id));
      const recreated = [...w.emu.world.guild(w.guildId)!.emojis.values()].find((e) => e.name === emoji.name)!;
      assert.notEqual(recreated.id, emoji.id);
      assert.deepEqual(await emojiImage(recreated.id!), image, 'the emoji came back from the stored image');
      // A second plan finds nothing to do: the created roles and channels are found through id_map.
      const again = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      assert.deepEqual(again.actions.filter((a) => !a.blocked).map((a) => `${a.kind} ${a.label}`), []);
    } finally {
      removeVault(vault);
    }
  });

  it('resumes after a cancel without creating anything twice', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      await wreck();
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      const before = creates(w.emu, w.guildId);
      const stop = new AbortController();
      // Cancel right after the second create has been recorded.
      const second = plan.actions.findIndex((a, i) => a.kind.endsWith('.create') && plan.actions.slice(0, i).some((b) => b.kind.endsWith('.create')));
      await assert.rejects(
        applyRestore(vault, w.client, plan, {}, new Job({ signal: stop.signal, onProgress: (p) => p.done === second + 1 && stop.abort() })),
        (error: Json) => error.code === 'CANCELLED',
      );
      assert.equal(creates(w.emu, w.guildId) - before, 2);
      // The same plan again: what was created is found in id_map and skipped.
      const report = await applyRestore(vault, w.client, plan, { preRestoreSnapshot: false });
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      assert.equal(report.outcomes.filter((o) => o.status === 'skipped' && /already created/.test(o.reason)).length, 2);
      assert.equal(creates(w.emu, w.guildId) - before, createActions(plan));
      const after = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      assert.equal(structureWithoutIds(vault, after.id), structureWithoutIds(vault, original.id));
    } finally {
      removeVault(vault);
    }
  });

  it('reports what the role hierarchy and missing permissions block, and does not attempt it', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      // Changes the bot could not make itself: a role above its own, renamed by the owner.
      const world = w.emu.world.guild(w.guildId)!;
      const admin = [...world.roles.values()].find((r) => r.name === 'Admin')!;
      admin.name = 'Admins (renamed by the owner)';
      world.bans.clear();
      const newcomer = [...world.members.values()].find((m) => !m.user.bot && m.user.id !== world.guild.owner_id && m.roles.length <= 1)!;
      world.bans.set(newcomer.user.id, { user: newcomer.user, reason: 'banned after the snapshot' } as never);
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId, include: ['bans', 'unbans'] });
      assert.deepEqual(plan.actions.filter((a) => a.kind === 'ban.delete').map((a) => a.targetId), [newcomer.user.id]);
      const update = plan.actions.find((a) => a.kind === 'role.update' && a.targetId === admin.id)!;
      assert.match(update.blocked ?? '', /at or above the bot's highest role @Guild Vault/);
      assert.ok(plan.actions.filter((a) => a.kind === 'ban.put').length === 3 && plan.actions.every((a) => a.kind !== 'ban.put' || !a.blocked));
      const report = await applyRestore(vault, w.client, plan, { preRestoreSnapshot: false, confirmed: true });
      assert.equal(report.outcomes.find((o) => o.action === update)?.status, 'skipped');
      assert.ok(!w.emu.requestLog.some((e) => e.method === 'PATCH' && e.path === `/guilds/${w.guildId}/roles/${admin.id}`), 'the blocked update was not sent');
      assert.deepEqual([...world.bans.keys()].sort(), [...loadState(vault, original.id).nodes.get('ban')!.keys()].sort());
      assert.equal(admin.name, 'Admins (renamed by the owner)');
    } finally {
      removeVault(vault);
    }
  });

  it('blocks what missing MANAGE_ROLES and BAN_MEMBERS forbid, and sends none of it', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const world = w.emu.world.guild(w.guildId)!;
      const artist = [...world.roles.values()].find((r) => r.name === 'Artist')!;
      world.roles.delete(artist.id);
      world.bans.clear();
      const botRole = [...world.roles.values()].find((r) => r.name === 'Guild Vault')!;
      botRole.permissions = (BigInt(botRole.permissions) & ~PermissionFlagsBits.ManageRoles & ~PermissionFlagsBits.BanMembers).toString();
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId, include: ['bans'] });
      const create = plan.actions.find((a) => a.kind === 'role.create' && a.label === '@Artist')!;
      assert.match(create.blocked ?? '', /lacks the MANAGE_ROLES permission/);
      const bans = plan.actions.filter((a) => a.kind === 'ban.put');
      assert.equal(bans.length, 3);
      assert.ok(bans.every((a) => /lacks the BAN_MEMBERS permission/.test(a.blocked ?? '')));
      const sentBefore = w.emu.requestLog.length;
      const report = await applyRestore(vault, w.client, plan, { preRestoreSnapshot: false });
      assert.equal(report.done, 0);
      assert.deepEqual(w.emu.requestLog.slice(sentBefore).filter((e) => e.method !== 'GET'), []);
    } finally {
      removeVault(vault);
    }
  });

  it('says when the bot has no role of its own (every role is above it)', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const world = w.emu.world.guild(w.guildId)!;
      const member = [...world.roles.values()].find((r) => r.name === 'Member')!;
      member.name = 'Renamed';
      // The bot's permissions now come from @everyone only, as after its role was removed.
      world.members.get(w.emu.world.bot.id)!.roles = [];
      const everyone = world.roles.get(w.guildId)!;
      everyone.permissions = (BigInt(everyone.permissions) | PermissionFlagsBits.ManageRoles | PermissionFlagsBits.ManageChannels).toString();
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      const update = plan.actions.find((a) => a.kind === 'role.update' && a.targetId === member.id)!;
      assert.match(update.blocked ?? '', /the bot has no role of its own in this server/);
    } finally {
      removeVault(vault);
    }
  });

  it('migrates into another server: new ids mapped through id_map for parents and overwrites', async () => {
    const vault = tempVault();
    const targetId = w.emu.guildIds[1];
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const source = loadState(vault, original.id);
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      assert.equal(plan.inPlace, false);
      // The bot's own role is the one Discord made for it there; the booster role cannot be made.
      const roleNamed = (name: string) => [...source.nodes.get('role')!].find(([, r]) => r.name === name)![0];
      const targetBotRole = [...w.emu.world.guild(targetId)!.roles.values()].find((r) => r.name === 'Guild Vault')!;
      assert.equal(plan.matches.role[roleNamed('Guild Vault')], targetBotRole.id);
      const booster = plan.actions.find((a) => a.kind === 'role.create' && a.label === '@Server Booster')!;
      assert.match(booster.blocked ?? '', /managed role/);
      const report = await applyRestore(vault, w.client, plan);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      assert.equal(report.preRestoreSnapshotId, undefined, 'the target is not this vault\'s server');

      const target = w.emu.world.guild(targetId)!;
      const mapped = (kind: string, id: string) =>
        (vault.db.prepare('SELECT target_id FROM id_map WHERE kind = ? AND source_id = ? AND target_guild_id = ?').get(kind, id, targetId) as { target_id: string } | undefined)?.target_id;
      for (const [id, role] of source.nodes.get('role')!) {
        if (role.managed || id === w.guildId) continue;
        const created = target.roles.get(mapped('role', id)!);
        assert.equal(created?.name, role.name);
        assert.equal(created?.permissions, role.permissions);
      }
      assert.equal(target.roles.get(targetId)!.permissions, source.nodes.get('role')!.get(w.guildId)!.permissions, '@everyone permissions');
      const sourceChannels = source.nodes.get('channel')!;
      const kept = plan.kept.filter((k) => k.kind === 'channel');
      assert.deepEqual(kept.map((k) => k.label).sort(), ['#general', 'Text Channels'], 'the target\'s own channels are kept, not deleted');
      assert.equal(target.channels.size, sourceChannels.size + kept.length);
      for (const [id, channel] of sourceChannels) {
        const created = target.channels.get(mapped('channel', id)!)!;
        assert.equal(created.name, channel.name);
        assert.equal(created.type, channel.type);
        assert.equal(created.parent_id ?? null, channel.parent_id ? mapped('channel', String(channel.parent_id)) : null, `parent of ${String(channel.name)}`);
      }
      let checked = 0;
      for (const overwrite of source.nodes.get('overwrite')!.values()) {
        if (overwrite.type !== 0) continue;
        const subject = overwrite.id === w.guildId ? targetId : (plan.matches.role[String(overwrite.id)] ?? mapped('role', String(overwrite.id)));
        if (!subject) continue; // a managed role with no counterpart there
        const channel = target.channels.get(mapped('channel', String(overwrite.channel_id))!)!;
        const found = channel.permission_overwrites!.find((o) => o.id === subject);
        assert.deepEqual([found?.allow, found?.deny], [overwrite.allow, overwrite.deny]);
        checked++;
      }
      assert.ok(checked > 3);
      assert.deepEqual([...target.emojis.values()].map((e) => e.name).sort(), [...source.nodes.get('emoji')!.values()].map((e) => e.name).sort());
      // Run again: everything exists through id_map, so there is nothing left to do.
      const again = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      assert.deepEqual(again.actions.filter((a) => !a.blocked).map((a) => `${a.kind} ${a.label}`), []);
    } finally {
      removeVault(vault);
    }
  });
});
