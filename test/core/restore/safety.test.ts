import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyRestore, planRestore } from '../../../src/core/restore';
import { exportSnapshot, importSnapshot, listSnapshots, loadState, storeSnapshot, takeSnapshot, type SnapshotFile } from '../../../src/core/snapshots';
import { runCliInProcess } from '../../cli/runInProcess';
import { api, removeVault, tempVault, useRestoreWorld, type Json } from './helpers';

/**
 * Restore as an attacker and a careless user would try it: a crafted
 * snapshot, a stale id map, a private channel, a server with more in it than
 * the snapshot. Each test counts what the emulator was sent.
 */
describe('restore: nothing it does can surprise', function () {
  this.timeout(120_000);
  const w = useRestoreWorld();

  const writes = (from: number) => w.emu.requestLog.slice(from).filter((e) => e.method !== 'GET');

  it('a crafted ban key never becomes a request: import refuses it, and so does the route builder in a tampered vault', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const world = w.emu.world.guild(w.guildId)!;
      const victim = [...world.members.values()].find((m) => !m.user.bot && m.user.id !== world.guild.owner_id && !world.bans.has(m.user.id))!;
      const role = [...world.roles.values()].find((r) => r.name === 'Artist')!;
      victim.roles = victim.roles.filter((id) => id !== role.id);
      const key = `../members/${victim.user.id}/roles/${role.id}`;
      const crafted = { user: { id: key, username: 'spam-bot-1234' }, reason: 'spam' };

      const file = JSON.parse(JSON.stringify(exportSnapshot(vault, original.id))) as SnapshotFile;
      file.nodes.ban = { ...file.nodes.ban, [key]: crafted };
      assert.throws(() => importSnapshot(vault, file), (error: Json) => error.code === 'INVALID_ARGUMENT' && error.message.includes(`ban "${key}"`));
      assert.equal(listSnapshots(vault).length, 1, 'nothing was imported');

      // A vault written before imports were checked, or edited by hand: the node is in the chain.
      const state = loadState(vault, original.id);
      state.nodes.get('ban')!.set(key, crafted);
      const tampered = storeSnapshot(vault, state, { kind: 'manual', label: 'tampered' });
      const plan = await planRestore(vault, w.client, { snapshotId: tampered.id, targetGuildId: w.guildId, include: ['bans'] });
      const ban = plan.actions.find((a) => a.kind === 'ban.put' && a.label === 'user spam-bot-1234')!;
      assert.ok(ban && !ban.blocked);
      const sent = w.emu.requestLog.length;
      const report = await applyRestore(vault, w.client, plan, { preRestoreSnapshot: false, confirmed: true });
      const outcome = report.outcomes.find((o) => o.action === ban)!;
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.status === 'failed' ? outcome.error : '', /is not a Discord id/);
      assert.deepEqual(writes(sent).filter((e) => e.path.includes('/members/')), [], 'no request to a member route');
      assert.ok(!world.members.get(victim.user.id)!.roles.includes(role.id), 'the member did not gain the role');
    } finally {
      removeVault(vault);
    }
  });

  it('import checks every node for its type and names the first problem; a file of another server creates no vault', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const exported = exportSnapshot(vault, original.id);
      const [roleId] = Object.keys(exported.nodes.role!).filter((id) => id !== w.guildId);
      const [channelId] = Object.keys(exported.nodes.channel!);
      const [overwriteId] = Object.keys(exported.nodes.overwrite!);
      const [emojiId] = Object.keys(exported.nodes.emoji!);
      const broken: [string, (nodes: Json) => void, RegExp][] = [
        ['a null role', (n) => (n.role[roleId] = null), /role "\d+": it is null, not an object/],
        ['a role name that is a number', (n) => (n.role[roleId].name = 42), /role "\d+": its name is not text/],
        ['a channel type that is text', (n) => (n.channel[channelId].type = 'text'), /channel "\d+": its type is not a number/],
        ['a channel whose id is not its key', (n) => (n.channel[channelId].id = '123456789012345678'), /channel "\d+": its id differs from its key/],
        ['overwrite bits that are not numbers', (n) => (n.overwrite[overwriteId].allow = 'all'), /overwrite "\d+\/\d+": its allow\/deny are not number strings/],
        ['a parent that is a path', (n) => (n.channel[channelId].parent_id = '../guilds/1'), /channel "\d+": parent_id is not a Discord id/],
        ['emoji roles that are paths', (n) => (n.emoji[emojiId].roles = ['../x']), /emoji "\d+": its roles are not a list of role ids/],
        ['a list of roles where an object belongs', (n) => (n.role = []), /the role nodes are not an object of nodes/],
        ['an unknown node type', (n) => (n.banana = {}), /unknown node type "banana"/],
        ['no roles at all', (n) => delete n.role, /no @everyone role/],
      ];
      for (const [what, breakIt, message] of broken) {
        const file = JSON.parse(JSON.stringify(exported)) as Json;
        breakIt(file.nodes);
        assert.throws(() => importSnapshot(vault, file), (error: Json) => error.code === 'INVALID_ARGUMENT' && message.test(error.message), what);
      }
      assert.equal(listSnapshots(vault).length, 1, 'nothing was imported');

      // The CLI: a file of this server named as another server's is refused before any vault exists.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-import-'));
      try {
        const fileName = path.join(dir, 'snapshot.json');
        fs.writeFileSync(fileName, JSON.stringify(exported));
        const other = w.emu.guildIds[2];
        const env = { GUILD_VAULT_DIR: path.join(dir, 'vaults') };
        const result = await runCliInProcess(['snapshots', 'import', other, fileName], env);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, new RegExp(`The snapshot file is of server ${w.guildId}; this vault is for server ${other}\\.`));
        assert.ok(!fs.existsSync(path.join(dir, 'vaults', other)), 'no vault was created');
        const own = await runCliInProcess(['snapshots', 'import', w.guildId, fileName], env);
        assert.equal(own.code, 0, own.stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      removeVault(vault);
    }
  });

  it('re-creates what an earlier restore created and someone deleted since, instead of trusting the id map', async () => {
    const vault = tempVault();
    const targetId = w.emu.guildIds[1];
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const first = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      assert.equal((await applyRestore(vault, w.client, first)).failed, 0);
      const target = w.emu.world.guild(targetId)!;
      const channel = [...target.channels.values()].find((c) => c.name === 'off-topic')!;
      const role = [...target.roles.values()].find((r) => r.name === 'Artist')!;
      const thread = [...target.threads.values()].find((t) => t.name === 'Weekend meetup plans')!;
      await api(w.emu, `/channels/${channel.id}`, 'DELETE');
      await api(w.emu, `/guilds/${targetId}/roles/${role.id}`, 'DELETE');
      await api(w.emu, `/channels/${thread.id}`, 'DELETE');

      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      assert.deepEqual(plan.actions.filter((a) => a.kind.endsWith('.create') && !a.blocked).map((a) => `${a.kind} ${a.label}`).sort(), ['channel.create #off-topic', 'role.create @Artist', 'thread.create #general > Weekend meetup plans']);
      const sent = w.emu.requestLog.length;
      const report = await applyRestore(vault, w.client, plan);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      assert.ok(!report.outcomes.some((o) => o.status === 'skipped' && /already created/.test(o.reason)));
      assert.deepEqual(w.emu.requestLog.slice(sent).filter((e) => e.status >= 400), [], 'no request failed');
      assert.ok([...target.channels.values()].some((c) => c.name === 'off-topic' && c.id !== channel.id));
      assert.ok([...target.roles.values()].some((r) => r.name === 'Artist' && r.id !== role.id));
      assert.ok([...target.threads.values()].some((t) => t.name === thread.name && t.id !== thread.id));
      const again = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      assert.deepEqual(again.actions.filter((a) => !a.blocked).map((a) => `${a.kind} ${a.label}`), []);
    } finally {
      removeVault(vault);
    }
  });

  it('writes overwrites so the bot never locks itself out of a private channel: no 403 on any run', async () => {
    const vault = tempVault();
    const targetId = w.emu.guildIds[2]; // the bot is not the owner there
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      const report = await applyRestore(vault, w.client, plan);
      assert.deepEqual(w.emu.requestLog.filter((e) => e.status === 403).map((e) => `${e.method} ${e.path}`), []);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      // Every overwrite of the private channels arrived, the bot's own deny on #secret-santa last.
      const source = loadState(vault, original.id);
      const mapped = (id: string) => (vault.db.prepare("SELECT target_id FROM id_map WHERE kind = 'channel' AND source_id = ? AND target_guild_id = ?").get(id, targetId) as { target_id: string }).target_id;
      for (const name of ['secret-santa', 'staff-chat', 'mod-log']) {
        const [sourceId] = [...source.nodes.get('channel')!].find(([, c]) => c.name === name)!;
        const wanted = [...source.nodes.get('overwrite')!.values()].filter((o) => o.channel_id === sourceId && plan.actions.some((a) => a.kind === 'overwrite.put' && a.sourceId === sourceId && !a.blocked && (a.data as Json).subjectSourceId === o.id));
        const have = w.emu.world.guild(targetId)!.channels.get(mapped(sourceId))!.permission_overwrites!;
        assert.equal(have.length, wanted.length, name);
      }
      const secret = w.emu.world.guild(targetId)!.channels.get(mapped([...source.nodes.get('channel')!].find(([, c]) => c.name === 'secret-santa')![0]))!;
      assert.ok(secret.permission_overwrites!.some((o) => o.id === w.emu.world.bot.id && BigInt(o.deny) & 1024n), 'the bot\'s own deny is there');
      const again = await applyRestore(vault, w.client, await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId }));
      assert.equal(again.failed, 0);
      assert.deepEqual(w.emu.requestLog.filter((e) => e.status === 403).map((e) => `${e.method} ${e.path}`), [], 'nor on the second run');
    } finally {
      removeVault(vault);
    }
  });

  it('keeps what the snapshot lacks unless asked to prune, and refuses an unconfirmed plan that deletes', async () => {
    const vault = tempVault();
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const role = await api(w.emu, `/guilds/${w.guildId}/roles`, 'POST', { name: 'Made Later' });
      const channel = await api(w.emu, `/guilds/${w.guildId}/channels`, 'POST', { name: 'made-later', type: 0 });
      const general = [...w.emu.world.guild(w.guildId)!.channels.values()].find((c) => c.name === 'general')!;
      await api(w.emu, `/channels/${general.id}/permissions/${role.id}`, 'PUT', { type: 0, allow: '1024', deny: '0' });

      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      assert.deepEqual(plan.actions.filter((a) => a.kind.endsWith('.delete')), []);
      assert.deepEqual(plan.kept.map((k) => `${k.kind} ${k.label}`).sort(), ['channel #made-later', 'overwrite #general: @Made Later', 'role @Made Later']);
      const sent = w.emu.requestLog.length;
      await applyRestore(vault, w.client, plan, { preRestoreSnapshot: false });
      assert.deepEqual(writes(sent).filter((e) => e.method === 'DELETE'), []);
      assert.ok(w.emu.world.guild(w.guildId)!.roles.has(role.id) && w.emu.world.guild(w.guildId)!.channels.has(channel.id));

      const pruning = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId, prune: true });
      assert.deepEqual(pruning.actions.filter((a) => a.kind.endsWith('.delete')).map((a) => `${a.kind} ${a.label}`).sort(), ['channel.delete #made-later', 'overwrite.delete #general: @Made Later', 'role.delete @Made Later']);
      const beforeRefusal = w.emu.requestLog.length;
      await assert.rejects(applyRestore(vault, w.client, pruning, { preRestoreSnapshot: false }), (error: Json) => error.code === 'INVALID_ARGUMENT' && /not confirmed/.test(error.message));
      assert.equal(w.emu.requestLog.length, beforeRefusal, 'nothing was sent');
      const report = await applyRestore(vault, w.client, pruning, { preRestoreSnapshot: false, confirmed: true });
      assert.equal(report.failed, 0);
      assert.ok(!w.emu.world.guild(w.guildId)!.roles.has(role.id) && !w.emu.world.guild(w.guildId)!.channels.has(channel.id));
    } finally {
      removeVault(vault);
    }
  });
});
