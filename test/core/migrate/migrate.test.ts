import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { MediaPool } from '../../../src/core/media';
import { migrateMessages, planMigration, type MigrateReport } from '../../../src/core/migrate';
import type { VaultStore } from '../../../src/core/vault';
import { guildSpecsForSize, startEmulator, type Emulator } from '../../../src/emulator';
import { backedUpAndRestored, clientFor, mapped, mappedChannel, replayedSourceIds, sha256, targetMessages } from './migrationHarness';

type Json = Record<string, any>;

describe('migrate: the demo server into the sandbox server', function () {
  this.timeout(240_000);
  let emu: Emulator;
  let store: VaultStore;
  let sourceGuildId: string;
  let targetGuildId: string;
  let report: MigrateReport;

  before(async () => {
    // The sandbox as a server the bot made for the move (it owns it: no role hierarchy in the way).
    const [demo, sandbox] = guildSpecsForSize('demo');
    emu = await startEmulator({ seed: 21, guilds: [demo!, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    targetGuildId = emu.guildIds[1]!;
    ({ store, sourceGuildId } = await backedUpAndRestored(emu, targetGuildId));
    const vault = store.open(sourceGuildId, { purpose: 'migrate' });
    try {
      report = await migrateMessages(vault, clientFor(emu), { targetGuildId, messagesPerChannelPerMinute: 0 });
    } finally {
      vault.close();
    }
  });
  after(async () => {
    await emu.close();
    fs.rmSync(store.root, { recursive: true, force: true });
  });

  it('sends every archived message once, in order, channel by channel and thread by thread', async () => {
    // Webhooks cannot post in a voice channel's chat: its messages are listed as not sent, with the reason.
    assert.deepEqual([...new Set(report.failed.map((f) => `${f.channel}: ${f.reason}`))], ['Lounge: Discord does not let webhooks post in the chat of voice channels']);
    assert.deepEqual(report.problems, ['Lounge: Discord does not let webhooks post in the chat of voice channels']);
    const vault = store.open(sourceGuildId, { mode: 'read', purpose: 'check' });
    try {
      const channels = vault.db.prepare('SELECT CAST(id AS TEXT) AS id, name, is_thread FROM archive_channels').all() as Array<{ id: string; name: string; is_thread: number }>;
      let compared = 0;
      let threads = 0;
      for (const c of channels) {
        const sourceIds = replayedSourceIds(vault, c.id);
        if (sourceIds.length === 0 || c.name === 'Lounge') continue;
        const targetChannel = mappedChannel(vault, c.id, targetGuildId);
        assert.ok(targetChannel, `${c.name} has a target`);
        // The webhook's messages, and the first message of a forum post the restore opened (its id is the post's).
        const arrived = (await targetMessages(emu, targetChannel)).filter((m) => m.webhook_id || m.id === targetChannel);
        const expected = sourceIds.map((id) => mapped(vault, 'message', id, targetGuildId));
        assert.deepEqual(arrived.map((m) => m.id), expected, `${c.name}: same messages, same order`);
        compared += sourceIds.length;
        if (c.is_thread) threads++;
      }
      // The first messages of forum posts the restore opened count as already there.
      assert.equal(compared, report.sent + report.alreadySent);
      assert.ok(compared > 2000, `${compared} messages compared`);
      assert.ok(threads >= 5, `${threads} threads and forum posts`);
    } finally {
      vault.close();
    }
  });

  it('shows the author, the original time, and pings nobody; replies link to the migrated message', async () => {
    const vault = store.open(sourceGuildId, { mode: 'read', purpose: 'check' });
    try {
      const rows = vault.db.prepare("SELECT CAST(id AS TEXT) AS id, CAST(channel_id AS TEXT) AS channel_id, raw FROM messages WHERE type IN (0, 19) AND deleted_at IS NULL ORDER BY channel_id").all() as Array<{ id: string; channel_id: string; raw: string }>;
      let replies = 0;
      let mentions = 0;
      const copies = new Map<string, Json>();
      const listed = new Set<string>();
      const pool = new MediaPool(vault);
      for (const row of rows) {
        const raw = JSON.parse(row.raw) as Json;
        const targetChannel = mappedChannel(vault, row.channel_id, targetGuildId);
        if (!targetChannel || emu.world.guild(targetGuildId)!.channels.get(targetChannel)?.type === 2) continue;
        if (!listed.has(targetChannel) && listed.add(targetChannel)) for (const m of await targetMessages(emu, targetChannel)) copies.set(m.id, m);
        const copy = copies.get(mapped(vault, 'message', row.id, targetGuildId)!)!;
        if (!copy.webhook_id) continue; // a forum post's first message, posted by the restore
        assert.match(copy.content, new RegExp(`^-# <t:${Math.floor(Date.parse(raw.timestamp) / 1000)}:f>`), 'original time in the first line');
        assert.equal(copy.flags & 4096, 4096, 'sent silently');
        assert.deepEqual([copy.mentions, copy.mention_roles, copy.mention_everyone], [[], [], false], `nobody pinged by ${copy.content}`);
        if (/<@|@everyone|@here/.test(raw.content)) mentions++;
        if (raw.message_reference?.type === 0) {
          const answered = mapped(vault, 'message', raw.message_reference.message_id, targetGuildId);
          if (answered) {
            assert.ok(copy.content.includes(`/channels/${targetGuildId}/${targetChannel}/${answered})`), `reply links to ${answered}: ${copy.content}`);
            replies++;
          }
        }
        const stored = (raw.attachments as Json[]).map((a) => vault.db.prepare("SELECT sha256 FROM media_refs WHERE owner_kind = 'attachment' AND owner_id = ? AND slot = 'file'").get(String(a.id)) as { sha256: string | null } | undefined);
        const expected = stored.filter((s) => s?.sha256).map((s) => s!.sha256!);
        const got = await Promise.all((copy.attachments as Json[]).filter((a) => a.filename !== 'message.txt').map(async (a) => sha256(new Uint8Array(await (await fetch(a.url)).arrayBuffer()))));
        assert.deepEqual(got, expected, 'the same bytes in each file');
        for (const hash of expected) assert.ok(pool.has(hash));
      }
      assert.ok(replies > 100, `${replies} replies checked`);
      assert.ok(mentions > 20, `${mentions} messages with mentions checked`);
    } finally {
      vault.close();
    }
  });

  it('recreates forum posts with their tags, re-pins, re-archives, and reuses its webhooks on the next run', async () => {
    const target = emu.world.guild(targetGuildId)!;
    const posts = [...target.threads.values()].filter((t) => {
      const parent = target.channels.get(t.parent_id!);
      return parent?.type === 15;
    });
    assert.ok(posts.length >= 3, 'forum posts recreated');
    assert.ok(posts.some((p) => (p.applied_tags ?? []).length > 0), 'with their tags');
    assert.ok(report.pinned > 0, 'pins re-pinned');
    assert.ok([...target.threads.values()].some((t) => t.thread_metadata?.archived), 'archived threads archived again');
    const hooks = [...target.webhooks.values()].filter((w) => w.name === 'Guild Vault Shuttle');
    const vault = store.open(sourceGuildId, { purpose: 'again' });
    try {
      const again = await migrateMessages(vault, clientFor(emu), { targetGuildId, messagesPerChannelPerMinute: 0 });
      assert.equal(again.sent, 0, 'nothing sent twice');
      assert.equal(again.alreadySent, report.sent + report.alreadySent);
      assert.equal([...target.webhooks.values()].filter((w) => w.name === 'Guild Vault Shuttle').length, hooks.length, 'webhooks reused');
      const { plan } = await planMigration(vault, clientFor(emu), { targetGuildId });
      assert.equal(plan.messages, 0, 'nothing left to send');
    } finally {
      vault.close();
    }
  });
});
