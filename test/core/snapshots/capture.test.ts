import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { PermissionFlagsBits, type APIChannel, type APIRole } from 'discord-api-types/v10';
import { DiscordClient } from '../../../src/core/discord';
import { Job } from '../../../src/core/job';
import {
  captureLiveState,
  checkHealth,
  deleteSnapshot,
  listSnapshots,
  loadState,
  renderLiveState,
  renderSnapshot,
  takeSnapshot,
  unifiedDiff,
} from '../../../src/core/snapshots';
import { startEmulator, type Emulator } from '../../../src/emulator';
import type { GuildState } from '../../../src/emulator/world/model';
import { plainNodes, tempVault } from './helpers';
import type { Vault } from '../../../src/core/vault';

/** What a snapshot stored: "type:node_id" for versions, "-type:node_id" for tombstones. */
function storedDiff(vault: Vault, snapshotId: number): string[] {
  return (
    vault.db
      .prepare('SELECT k.type, k.node_id, n.deleted FROM snapshot_nodes n JOIN snapshot_keys k USING (key_id) WHERE n.snapshot_id = ?')
      .all(snapshotId) as { type: string; node_id: string; deleted: number }[]
  )
    .map((row) => `${row.deleted ? '-' : ''}${row.type}:${row.node_id}`)
    .sort();
}

describe('snapshot capture against the emulator', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let client: DiscordClient;
  let guildId: string;
  let guild: GuildState;

  beforeEach(async () => {
    emu = await startEmulator({ seed: 4, size: 'small', rateLimits: false });
    client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
    guildId = emu.guildIds[0];
    guild = emu.world.guild(guildId)!;
  });
  afterEach(async () => {
    await emu.close();
  });

  it('captures every node type of the server, with images in the pool and no webhook token in the vault', async () => {
    const vault = tempVault();
    try {
      const taken = await takeSnapshot(vault, client, guildId, { kind: 'manual', label: 'first' });
      const state = loadState(vault, taken.id);
      const count = (type: string) => state.nodes.get(type as never)?.size ?? 0;
      assert.equal(count('role'), guild.roles.size);
      assert.equal(count('channel'), guild.channels.size);
      assert.equal(count('ban'), guild.bans.size);
      assert.equal(count('emoji'), guild.emojis.size);
      assert.equal(count('sticker'), guild.stickers.size);
      assert.equal(count('webhook'), guild.webhooks.size);
      assert.equal(count('scheduled_event'), guild.scheduledEvents.size);
      assert.equal(count('automod_rule'), guild.autoModRules.size);
      assert.equal(count('soundboard_sound'), guild.soundboardSounds.size);
      assert.equal(count('welcome_screen'), 1);
      assert.equal(count('onboarding'), 1);
      assert.ok(Object.values(taken.captureStatus).filter((s) => s !== 'ok').every((s) => typeof s === 'object' && 'partial' in s), 'everything else was readable');
      const overwrites = new Set([...guild.channels.values()].flatMap((c) => (c.permission_overwrites ?? []).map((o) => `${c.id}/${o.id}`))).size;
      assert.ok(overwrites > 0);
      assert.equal(count('overwrite'), overwrites);
      assert.equal(count('member'), [...guild.members.values()].filter((m) => m.roles.length > 0).length);
      assert.equal(taken.summary.created, [...state.nodes.values()].reduce((n, m) => n + m.size, 0));
      // Every channel property Discord sent is kept (the seed's "ignored" ones included).
      for (const [id, channel] of guild.channels) {
        const node = state.nodes.get('channel')!.get(id)!;
        for (const key of ['rate_limit_per_user', 'bitrate', 'user_limit', 'rtc_region', 'default_auto_archive_duration', 'available_tags', 'default_reaction_emoji', 'default_sort_order', 'default_forum_layout'] as const) {
          if (channel[key] !== undefined) assert.deepEqual(node[key], channel[key], `${channel.name}.${key}`);
        }
      }
      assert.ok(taken.media.stored > 0, 'icon, emojis and stickers went into the pool');
      assert.equal(vault.getMeta('guild_name'), guild.guild.name);
      assert.ok(vault.getMeta('guild_icon_sha256'));
      vault.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      const bytes = fs.readFileSync(vault.dbPath).toString('latin1');
      for (const webhook of guild.webhooks.values()) assert.ok(!bytes.includes(webhook.token), 'no webhook token stored');
    } finally {
      vault.close();
    }
  });

  it('stores nothing for an unchanged server, and exactly what changed after edits', async () => {
    const vault = tempVault();
    try {
      const first = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      const before = renderSnapshot(vault, first.id);
      const again = await takeSnapshot(vault, client, guildId, { kind: 'automatic' });
      assert.equal(again.stored, false, 'an unchanged automatic snapshot is not stored');
      assert.equal(again.id, first.id);
      assert.ok(again.checkedAt > first.createdAt, 'the newest snapshot was checked again');
      assert.deepEqual(again.media, { stored: 0, failed: 0, skipped: 0 }, 'nothing downloaded twice');
      const manual = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      assert.equal(manual.stored, true, 'a manual one is kept');
      assert.equal(manual.label, 'unchanged');
      assert.deepEqual(storedDiff(vault, manual.id), []);

      // Change the server through Discord's routes, as a moderator's bot would.
      const botTop = Math.max(...guild.members.get(emu.botUserId)!.roles.map((id) => guild.roles.get(id)!.position));
      const editable = [...guild.roles.values()].filter((r) => r.id !== guildId && !r.managed && r.position < botTop).sort((a, b) => b.position - a.position);
      assert.ok(editable.length >= 4, 'the demo server has roles below the bot');
      const [edited, swapA, swapB, removed] = editable; // swapA and swapB are neighbours
      await client.patch(`/guilds/${guildId}/roles/${edited.id}`, { body: { color: 0x123456 } });
      await client.patch(`/guilds/${guildId}/roles`, { body: [{ id: swapA.id, position: swapB.position }, { id: swapB.id, position: swapA.position }] });
      const added = await client.post<APIRole>(`/guilds/${guildId}/roles`, { body: { name: 'Added Role' } });
      await client.delete(`/guilds/${guildId}/roles/${removed.id}`);
      const settingsChannels = new Set(Object.entries(guild.guild).filter(([key]) => key.endsWith('channel_id')).map(([, value]) => value));
      const [channel, editedChannel, doomedChannel] = [...guild.channels.values()].filter((c) => c.type === 0 && !c.permission_overwrites?.length && !settingsChannels.has(c.id));
      await client.put(`/channels/${channel.id}/permissions/${edited.id}`, { body: { type: 0, allow: String(PermissionFlagsBits.AddReactions), deny: '0' } });
      await client.patch(`/channels/${editedChannel.id}`, { body: { topic: 'A new topic', rate_limit_per_user: 30 } });
      await client.delete(`/channels/${doomedChannel.id}`);
      const createdChannel = await client.post<APIChannel>(`/guilds/${guildId}/channels`, { body: { name: 'brand-new', type: 0, parent_id: editedChannel.parent_id } });
      const banned = [...guild.members.values()].find((m) => !m.user.bot && m.user.id !== guild.guild.owner_id && m.roles.every((id) => guild.roles.get(id)!.position < botTop))!;
      await client.put(`/guilds/${guildId}/bans/${banned.user.id}`, { body: {}, reason: 'raid' });
      const unbanned = [...guild.bans.values()].find((b) => b.user.id !== banned.user.id)!;
      await client.delete(`/guilds/${guildId}/bans/${unbanned.user.id}`);
      const level = (guild.guild.verification_level + 1) % 5;
      await client.patch(`/guilds/${guildId}`, { body: { verification_level: level } });

      const changed = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      const expected = [
        `role:${edited.id}`,
        'role_order:roles', // the swap, the new and the deleted role: one node for the whole order
        `-role:${removed.id}`,
        `role:${added.id}`,
        `overwrite:${channel.id}/${edited.id}`,
        `channel:${editedChannel.id}`,
        `channel:${createdChannel.id}`,
        `-channel:${doomedChannel.id}`,
        `ban:${banned.user.id}`,
        `-ban:${unbanned.user.id}`,
        `-member:${banned.user.id}`,
        `guild:${guildId}`,
      ];
      // Members who had the deleted role change too; overwrites naming it or the deleted channel go.
      const stored = storedDiff(vault, changed.id);
      for (const entry of expected) assert.ok(stored.includes(entry), `stored ${entry}: ${stored.join(' ')}`);
      for (const entry of stored) {
        assert.ok(expected.includes(entry) || /^(member|-overwrite):/.test(entry), `unexpected ${entry}`);
      }
      assert.equal(changed.summary.created + changed.summary.changed + changed.summary.deleted, stored.length);

      const after = renderSnapshot(vault, changed.id);
      const diff = unifiedDiff(before, after);
      assert.match(diff, /^-  color: #[0-9a-f]{6}$/m);
      assert.match(diff, /^\+  color: #123456$/m);
      assert.match(diff, new RegExp(`^\\+@Added Role \\(${added.id}\\)$`, 'm'));
      assert.match(diff, new RegExp(`^-@${removed.name} \\(${removed.id}\\)$`, 'm'));
      assert.match(diff, new RegExp(`^\\+ +allow @${edited.name} \\(${edited.id}\\): ADD_REACTIONS$`, 'm'));
      assert.match(diff, new RegExp(`^-.*#${doomedChannel.name} \\(${doomedChannel.id}\\)`, 'm'));
      assert.match(diff, new RegExp(`^\\+.*#brand-new \\(${createdChannel.id}\\) text$`, 'm'));
      assert.match(diff, /^\+ +topic: "A new topic"$/m);
      assert.match(diff, /^\+ +rate_limit_per_user: 30$/m);
      assert.match(diff, new RegExp(`^\\+  verification_level: ${level} \\((NONE|LOW|MEDIUM|HIGH|VERY_HIGH)\\)$`, 'm'));
      // The swapped neighbours trade places in the document.
      const rolesAfter = after.slice(after.indexOf('== Roles'), after.indexOf('== Channels'));
      assert.ok(rolesAfter.indexOf(`(${swapB.id})`) < rolesAfter.indexOf(`(${swapA.id})`));
      assert.match(diff, new RegExp(`^\\+${banned.user.username} \\(${banned.user.id}\\): reason "raid"$`, 'm'));
      assert.ok(diff.split('\n').length < 200, `a few edits make a short diff:\n${diff}`);
      // The untouched parts render identically: the chain rebuilt the first snapshot as it was.
      assert.equal(renderSnapshot(vault, first.id), before);
    } finally {
      vault.close();
    }
  });

  it('rebuilds each snapshot as captured after deleting the first, a middle and the last', async () => {
    const vault = tempVault();
    try {
      const captured: string[] = [];
      const ids: number[] = [];
      const botTop = Math.max(...guild.members.get(emu.botUserId)!.roles.map((id) => guild.roles.get(id)!.position));
      const roles = [...guild.roles.values()].filter((r) => r.id !== guildId && !r.managed && r.position < botTop);
      for (let step = 0; step < 5; step++) {
        await client.patch(`/guilds/${guildId}/roles/${roles[step % roles.length].id}`, { body: { name: `renamed ${step}` } });
        if (step === 2) for (const ban of [...guild.bans.values()]) await client.delete(`/guilds/${guildId}/bans/${ban.user.id}`);
        const taken = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
        ids.push(taken.id);
        captured.push(renderSnapshot(vault, taken.id));
      }
      for (const doomed of [ids[0], ids[2], ids[4]]) {
        deleteSnapshot(vault, doomed);
        for (const [i, id] of ids.entries()) {
          if (listSnapshots(vault).some((s) => s.id === id)) assert.equal(renderSnapshot(vault, id), captured[i], `#${id} after deleting #${doomed}`);
        }
      }
      assert.deepEqual(listSnapshots(vault).map((s) => s.id), [ids[3], ids[1]]);
    } finally {
      vault.close();
    }
  });

  it('records bans and member roles the bot cannot read as not captured, never as deleted', async () => {
    const vault = tempVault();
    try {
      const first = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      const full = plainNodes(loadState(vault, first.id));
      const botRole = [...guild.roles.values()].find((r) => r.tags?.bot_id === emu.botUserId)!;
      botRole.permissions = String(BigInt(botRole.permissions) & ~PermissionFlagsBits.BanMembers);
      emu.world.intents.guildMembers = false;
      emu.requestLog.clear();
      const blind = await takeSnapshot(vault, client, guildId, { kind: 'automatic' });
      // The bot's permissions are known before asking: no request that can only answer 403
      // (Discord bans an IP after 10,000 of those), except the members list, whose intent it cannot see.
      const refused = emu.requestLog.filter((entry) => entry.status === 403).map((entry) => entry.route);
      assert.deepEqual([...new Set(refused)], ['/guilds/{guild_id}/members']);
      assert.deepEqual(blind.captureStatus.ban, { unreadable: 'missing BAN_MEMBERS permission', asOfId: first.id, asOfDate: first.createdAt });
      assert.deepEqual(blind.captureStatus.member, { unreadable: 'the Server Members intent is not enabled for the bot', asOfId: first.id, asOfDate: first.createdAt });
      // The bot role's own permissions changed; nothing else was stored.
      assert.deepEqual(storedDiff(vault, blind.id), [`role:${botRole.id}`]);
      const state = plainNodes(loadState(vault, blind.id));
      assert.deepEqual(state.ban, full.ban);
      assert.deepEqual(state.member, full.member);
      const text = renderSnapshot(vault, blind.id);
      assert.match(text, new RegExp(`\\(ban: not captured in this snapshot: missing BAN_MEMBERS permission; shown as of snapshot #${first.id} \\(\\d{4}-\\d\\d-\\d\\d\\)\\)`));

      // Compare with Live: the live side shows the snapshot's bans with the note, not an empty list.
      const live = await renderLiveState(client, guildId, { vault });
      const diff = unifiedDiff(renderSnapshot(vault, blind.id), live.text);
      assert.ok(!/^-.*reason/m.test(diff), 'no ban reads as deleted in the live comparison');

      const health = await checkHealth(client, guildId);
      const ids = health.problems.map((p) => p.id);
      assert.ok(ids.includes('permission:BAN_MEMBERS'));
      assert.match(health.problems.find((p) => p.id === 'permission:BAN_MEMBERS')!.cost, /bans are not backed up/);
      assert.equal(health.intents.guildMembers, 'disabled');
      assert.match(health.problems.find((p) => p.id === 'intent:guild-members')!.cost, /member role assignments are not backed up/);
    } finally {
      vault.close();
    }
  });

  it('captures active and archived threads; archiving one is a change, and threads the bot cannot reach are kept', async () => {
    const vault = tempVault();
    try {
      const first = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      const visible = [...guild.threads.values()].filter((t) => {
        const perms = emu.world.botPermissionsIn(t.parent_id!);
        const canList = (perms & PermissionFlagsBits.ViewChannel) !== 0n && (perms & PermissionFlagsBits.ReadMessageHistory) !== 0n;
        return t.thread_metadata?.archived ? canList && (t.type !== 12 || (perms & PermissionFlagsBits.ManageThreads) !== 0n) : emu.world.botPermissionsIn(t.id) & PermissionFlagsBits.ViewChannel;
      });
      const threads = loadState(vault, first.id).nodes.get('thread')!;
      assert.ok(visible.length > 0);
      assert.deepEqual([...threads.values()].map((t) => t.id).sort(), visible.map((t) => t.id).sort());
      const forumPost = visible.find((t) => guild.channels.get(t.parent_id!)?.type === 15 && !t.thread_metadata?.archived)!;
      assert.ok(forumPost, 'the demo forum has an active post');
      const nodeId = `${forumPost.parent_id}/public/${forumPost.id}`;
      assert.ok(!('message_count' in threads.get(nodeId)!), 'counters are not part of a thread node');

      await client.patch(`/channels/${forumPost.id}`, { body: { archived: true } });
      const archived = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      assert.deepEqual(storedDiff(vault, archived.id), [`thread:${nodeId}`]);
      assert.equal((loadState(vault, archived.id).nodes.get('thread')!.get(nodeId)!.thread_metadata as any).archived, true);

      // The forum is hidden from the bot: its posts are kept, and the snapshot says why.
      const forum = guild.channels.get(forumPost.parent_id!)!;
      forum.permission_overwrites = [...(forum.permission_overwrites ?? []), { id: guildId, type: 0, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) }] as never;
      emu.requestLog.clear();
      const blind = await takeSnapshot(vault, client, guildId, { kind: 'manual' });
      assert.equal(emu.requestLog.filter((entry) => entry.status === 403).length, 0, 'hidden channels are not asked for their threads');
      const status = blind.captureStatus.thread as { partial: string; scopes: string[] };
      assert.match(status.partial, new RegExp(`#${forum.name}`));
      assert.ok(status.scopes.includes(`${forum.id}/`));
      assert.ok(loadState(vault, blind.id).nodes.get('thread')!.has(nodeId), 'posts of the hidden forum are not deleted');
      assert.ok(!storedDiff(vault, blind.id).some((entry) => entry.startsWith(`-thread:${forum.id}/`)));
      assert.match(renderSnapshot(vault, blind.id), /\(thread: partly captured in this snapshot: .*; those are shown as of earlier snapshots\)/);
      // Compare with Live: the forum's posts come from the snapshot, so they do not show as deleted.
      const live = await renderLiveState(client, guildId, { vault });
      assert.equal(unifiedDiff(renderSnapshot(vault, blind.id), live.text), '');
    } finally {
      vault.close();
    }
  });

  it('stops at once when cancelled, storing nothing', async () => {
    const vault = tempVault();
    try {
      emu.faults.slow({ route: '/guilds/{guild_id}/bans', delayMs: 5_000, times: 5 });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 200);
      await assert.rejects(takeSnapshot(vault, client, guildId, { kind: 'manual' }, new Job({ signal: controller.signal })), (e: any) => e.code === 'CANCELLED');
      assert.ok(Date.now() - started < 3_000, 'did not wait for the slow request');
      assert.deepEqual(listSnapshots(vault), []);
    } finally {
      emu.faults.clear();
      vault.close();
    }
  });

  it('captures live without a vault, and fails whole (storing nothing) when the token is rejected', async () => {
    const live = await captureLiveState(client, guildId);
    assert.equal(live.nodes.get('role')!.size, guild.roles.size);
    const vault = tempVault();
    try {
      const bad = new DiscordClient({ token: 'not-a-valid-token', apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retries: 0 });
      await assert.rejects(takeSnapshot(vault, bad, guildId, { kind: 'manual' }), (e: any) => e.code === 'INVALID_TOKEN');
      assert.deepEqual(listSnapshots(vault), []);
    } finally {
      vault.close();
    }
  });

  it('reports the permissions the bot lacks, hidden channels and its place in the role hierarchy', async () => {
    const health = await checkHealth(client, guildId);
    assert.equal(health.botId, emu.botUserId);
    assert.ok(health.hasOwnRole);
    const hidden = [...guild.channels.values()].filter((c) => c.type !== 4 && !(emu.world.botPermissionsIn(c.id) & PermissionFlagsBits.ViewChannel));
    assert.deepEqual(health.hiddenChannels.map((c) => c.id).sort(), hidden.map((c) => c.id).sort());
    const botRole = [...guild.roles.values()].find((r) => r.tags?.bot_id === emu.botUserId)!;
    const above = [...guild.roles.values()].filter((r) => r.position > botRole.position).length;
    if (above) assert.ok(health.problems.some((p) => p.id === 'roles-above-bot' && p.what.startsWith(`${above} role`)));
    // A bot that lost its own role: its permissions come from @everyone alone.
    const member = guild.members.get(emu.botUserId)!;
    member.roles = [];
    const bare = await checkHealth(client, guildId);
    assert.ok(bare.problems.some((p) => p.id === 'no-bot-role'));
    assert.ok(bare.problems.some((p) => p.id === 'permission:BAN_MEMBERS'));
  });
});
