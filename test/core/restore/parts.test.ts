import * as assert from 'node:assert/strict';
import { syncArchive } from '../../../src/core/archive';
import { applyRestore, describePlan, planRestore } from '../../../src/core/restore';
import { takeSnapshot } from '../../../src/core/snapshots';
import { api, removeVault, tempVault, useRestoreWorld, type Json } from './helpers';

/** Threads, stickers, role icons, server settings, welcome screen and onboarding: restored, or blocked with the reason. */
describe('restore: threads, expressions and server settings', function () {
  this.timeout(120_000);
  const w = useRestoreWorld();

  async function cdn(pathname: string): Promise<Buffer> {
    const response = await fetch(`${w.emu.cdnBaseUrl}/${pathname}`);
    assert.equal(response.status, 200, pathname);
    return Buffer.from(await response.arrayBuffer());
  }

  /** What a person sees of a server's threads: parent, name, state, tag names. */
  function threadsOf(id: string): string[] {
    const g = w.emu.world.guild(id)!;
    return [...g.threads.values()]
      .map((t) => {
        const parent = g.channels.get(t.parent_id!)!;
        const tags = (t.applied_tags ?? []).map((tag) => parent.available_tags!.find((a) => a.id === tag)!.name).sort();
        const m = t.thread_metadata!;
        return `${parent.name} > ${t.name} type=${t.type} archived=${m.archived} locked=${m.locked} auto=${m.auto_archive_duration} tags=${tags.join('|')}`;
      })
      .sort();
  }

  const SETTINGS = ['name', 'verification_level', 'default_message_notifications', 'explicit_content_filter', 'afk_timeout', 'afk_channel_id', 'system_channel_id', 'description'] as const;

  it('brings back deleted and changed threads, a sticker, a role icon, the settings, welcome screen and onboarding in place', async () => {
    const vault = tempVault();
    try {
      const world = w.emu.world.guild(w.guildId)!;
      const maker = [...world.roles.values()].find((r) => r.icon)!;
      const iconBytes = await cdn(`role-icons/${maker.id}/${maker.icon}.png`);
      const sticker = [...world.stickers.values()][0];
      const stickerBytes = await cdn(`stickers/${sticker.id}.png`);
      const guildIconBytes = await cdn(`icons/${w.guildId}/${world.guild.icon}.png`);
      const threadsBefore = threadsOf(w.guildId);
      const settingsBefore = SETTINGS.map((f) => (world.guild as unknown as Json)[f]);
      const welcomeBefore = structuredClone(world.welcomeScreen);
      const modeBefore = world.onboarding.mode;
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      await syncArchive(vault, w.client, w.guildId, { downloadMedia: false });

      const threads = [...world.threads.values()];
      const active = threads.find((t) => t.type === 11 && !t.thread_metadata!.archived && world.channels.get(t.parent_id!)!.type === 0)!;
      const [archived, stillArchived] = threads.filter((t) => t.thread_metadata!.archived && world.channels.get(t.parent_id!)!.type === 0);
      const post = threads.find((t) => world.channels.get(t.parent_id!)!.type === 16 && (t.applied_tags ?? []).length > 0)!;
      const starter = await api(w.emu, `/channels/${post.id}/messages/${post.id}`, 'GET');
      await api(w.emu, `/channels/${active.id}`, 'DELETE');
      await api(w.emu, `/channels/${post.id}`, 'DELETE');
      await api(w.emu, `/channels/${archived.id}`, 'PATCH', { archived: false, name: 'renamed by a raider', auto_archive_duration: 60 });
      // Renamed, then archived again: restoring its name must unarchive it in the same request, then archive it.
      await api(w.emu, `/channels/${stillArchived.id}`, 'PATCH', { archived: false, name: 'renamed and archived' });
      await api(w.emu, `/channels/${stillArchived.id}`, 'PATCH', { archived: true });
      await api(w.emu, `/guilds/${w.guildId}/stickers/${sticker.id}`, 'DELETE');
      await api(w.emu, `/guilds/${w.guildId}/roles/${maker.id}`, 'PATCH', { icon: null });
      await api(w.emu, `/guilds/${w.guildId}`, 'PATCH', { name: 'Nuked', verification_level: 0, default_message_notifications: 1 - Number(settingsBefore[2]), explicit_content_filter: 0, afk_timeout: 60, system_channel_id: null, icon: null });
      await api(w.emu, `/guilds/${w.guildId}/welcome-screen`, 'PATCH', { description: 'hacked' });
      world.onboarding.mode = 1 - modeBefore;

      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      const kinds = plan.actions.filter((a) => !a.blocked).map((a) => `${a.kind} ${a.label}`);
      for (const wanted of ['thread.create', 'thread.update', 'sticker.create', 'role.update', 'guild.update', 'welcome_screen.update', 'onboarding.update']) {
        assert.ok(kinds.some((k) => k.startsWith(wanted)), `${wanted} in ${kinds.join('; ')}`);
      }
      const report = await applyRestore(vault, w.client, plan, { preRestoreSnapshot: false });
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));

      assert.deepEqual(threadsOf(w.guildId), threadsBefore);
      const newPost = [...world.threads.values()].find((t) => t.name === post.name)!;
      const opening = await api(w.emu, `/channels/${newPost.id}/messages/${newPost.id}`, 'GET');
      assert.equal(opening.content, starter.content, 'the forum post opens with its archived first message');
      assert.ok(String(starter.content).length > 0);
      const restoredSticker = [...world.stickers.values()].find((s) => s.name === sticker.name)!;
      assert.notEqual(restoredSticker.id, sticker.id);
      assert.deepEqual(await cdn(`stickers/${restoredSticker.id}.png`), stickerBytes, 'the sticker came back from the stored image');
      assert.deepEqual(await cdn(`role-icons/${maker.id}/${maker.icon}.png`), iconBytes, 'the role icon came back');
      assert.deepEqual(await cdn(`icons/${w.guildId}/${world.guild.icon}.png`), guildIconBytes, 'the server icon came back');
      assert.deepEqual(SETTINGS.map((f) => (world.guild as unknown as Json)[f]), settingsBefore);
      assert.deepEqual(world.welcomeScreen, welcomeBefore);
      assert.equal(world.onboarding.mode, modeBefore);

      const again = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: w.guildId });
      assert.deepEqual(again.actions.filter((a) => !a.blocked).map((a) => `${a.kind} ${a.label}: ${a.detail}`), [], 'a second plan finds nothing to do');
    } finally {
      removeVault(vault);
    }
  });

  it('in a server without boosts or Community, lists what Discord will not let a bot set, with the reason', async () => {
    const vault = tempVault();
    const targetId = w.emu.guildIds[2];
    try {
      const original = await takeSnapshot(vault, w.client, w.guildId, { kind: 'manual' });
      const plan = await planRestore(vault, w.client, { snapshotId: original.id, targetGuildId: targetId });
      const blocked = plan.actions.filter((a) => a.blocked).map((a) => `${a.kind} ${a.label}: ${a.blocked}`);
      for (const reason of [
        /^role\.update @\S+ icon: the server lacks the ROLE_ICONS feature/,
        /^guild\.update server banner: the server lacks the BANNER feature/,
        /^guild\.update server rules_channel_id: only Community servers have rules, updates and safety channels/,
        /^guild\.update server features: server features come from boosts/,
        /^welcome_screen\.update welcome screen: the welcome screen exists only in Community servers/,
        /^onboarding\.update onboarding: onboarding exists only in Community servers/,
      ]) {
        assert.ok(blocked.some((line) => reason.test(line)), `${reason} in\n${blocked.join('\n')}`);
      }
      assert.match(describePlan(plan).join('\n'), /guild\.update +server banner: banner\n +BLOCKED: the server lacks the BANNER feature/);
      const sent = w.emu.requestLog.length;
      const report = await applyRestore(vault, w.client, plan);
      assert.equal(report.failed, 0, JSON.stringify(report.outcomes.filter((o) => o.status === 'failed')));
      const settingsWrites = w.emu.requestLog.slice(sent).filter((e) => e.method !== 'GET' && /^\/guilds\/\d+(\/welcome-screen|\/onboarding)?$/.test(e.path));
      assert.deepEqual(settingsWrites.map((e) => `${e.method} ${e.path}`), [`PATCH /guilds/${targetId}`], 'one settings write; the blocked ones are not sent');
      const target = w.emu.world.guild(targetId)!;
      assert.equal(target.guild.name, 'Guild Vault Demo');
      assert.deepEqual(threadsOf(targetId), threadsOf(w.guildId), 'every thread and forum post, with its state and tags');
    } finally {
      removeVault(vault);
    }
  });
});
