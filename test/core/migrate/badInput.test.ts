import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { Job } from '../../../src/core/job';
import { migrateMessages, planMigration } from '../../../src/core/migrate';
import { takeSnapshot } from '../../../src/core/snapshots';
import { Vault } from '../../../src/core/vault';
import { guildSpecsForSize, startEmulator, type Emulator } from '../../../src/emulator';
import { runCliInProcess } from '../../cli/runInProcess';
import { backedUpAndRestored, clientFor, mapped, replayedSourceIds, targetMessages } from './migrationHarness';

describe('migrate: bad input gets one clear message and loses nothing', function () {
  this.timeout(120_000);
  let emu: Emulator;
  const temps: string[] = [];
  const [demo, sandbox] = guildSpecsForSize('demo');
  const small = { ...demo!, messageScale: 0.1 };

  afterEach(async () => {
    await emu?.close();
    for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a vault with no message archive: says to back up first', async () => {
    emu = await startEmulator({ seed: 31, guilds: [small, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-migrate-empty-'));
    temps.push(dir);
    const vault = Vault.open(dir, { purpose: 'test' });
    try {
      await takeSnapshot(vault, clientFor(emu), emu.guildIds[0]!, { kind: 'manual' });
      await assert.rejects(planMigration(vault, clientFor(emu), { targetGuildId: emu.guildIds[1]! }), (e: Error & { code?: string; hint?: string }) => {
        assert.equal(e.code, 'NOT_FOUND');
        assert.match(e.message, /has no message archive/);
        assert.match(e.hint ?? '', /guild-vault backup/);
        return true;
      });
    } finally {
      vault.close();
    }
  });

  it('a target without MANAGE_WEBHOOKS: every channel says so, every message is listed as not sent, nothing is posted', async () => {
    emu = await startEmulator({ seed: 32, guilds: [small, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    const target = emu.guildIds[1]!;
    const { store, sourceGuildId } = await backedUpAndRestored(emu, target);
    temps.push(store.root);
    // After the restore, the server passes to a person who takes Manage Webhooks from the bot's role.
    const guild = emu.world.guild(target)!;
    guild.guild.owner_id = [...guild.members.keys()].find((id) => id !== emu.botUserId)!;
    for (const role of guild.roles.values()) role.permissions = (BigInt(role.permissions) & ~P.ManageWebhooks).toString();
    const vault = store.open(sourceGuildId, { purpose: 'test' });
    try {
      const report = await migrateMessages(vault, clientFor(emu), { targetGuildId: target, messagesPerChannelPerMinute: 0 });
      assert.equal(report.sent, 0);
      assert.ok(report.problems.length > 3 && report.problems.every((p) => /MANAGE_WEBHOOKS|VIEW_CHANNEL|voice channels/.test(p)), report.problems.join('\n'));
      const archived = (vault.db.prepare('SELECT count(*) AS n FROM messages WHERE type IN (0, 19, 20, 23) AND deleted_at IS NULL').get() as { n: number }).n;
      assert.equal(report.failed.length, archived, 'every message listed with its reason');
      assert.equal(emu.requestLog.count({ route: '/webhooks/{webhook_id}/{webhook_token}' }), 0);
    } finally {
      vault.close();
    }
  });

  it('a webhook deleted mid-run is made again; a thread gone from the target fails alone, with its messages listed', async () => {
    emu = await startEmulator({ seed: 33, guilds: [small, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    const target = emu.guildIds[1]!;
    const { store, sourceGuildId } = await backedUpAndRestored(emu, target);
    temps.push(store.root);
    const vault = store.open(sourceGuildId, { purpose: 'test' });
    try {
      // A thread the target had (an earlier run made it) and someone deleted since.
      const thread = vault.db.prepare("SELECT CAST(id AS TEXT) AS id, name FROM archive_channels WHERE is_thread = 1 AND type = 11 AND parent_id IN (SELECT id FROM archive_channels WHERE type = 0) ORDER BY id LIMIT 1").get() as { id: string; name: string };
      vault.db.prepare("INSERT OR REPLACE INTO id_map (kind, source_id, target_guild_id, target_id, created_at) VALUES ('thread', ?, ?, '123456789012345678', '')").run(thread.id, target);
      // Delete the shuttle's webhook in #general after its 5th message.
      const general = mapped(vault, 'channel', (vault.db.prepare("SELECT CAST(id AS TEXT) AS id FROM archive_channels WHERE name = 'general'").get() as { id: string }).id, target)!;
      const log = emu.requestLog;
      const record = log.record.bind(log);
      let inGeneral = 0;
      log.record = (entry) => {
        record(entry);
        const hook = emu.world.guild(target)!.webhooks.get(/^\/webhooks\/(\d+)\//.exec(entry.path)?.[1] ?? '');
        if (entry.status === 200 && hook?.channel_id === general && ++inGeneral === 5) emu.world.guild(target)!.webhooks.delete(hook.id);
      };
      const lines: string[] = [];
      const report = await migrateMessages(vault, clientFor(emu), { targetGuildId: target, messagesPerChannelPerMinute: 0 }, new Job({ log: (_level, line) => lines.push(line) }));
      log.record = record;

      assert.ok(lines.some((l) => /#general: the migration's webhook was deleted; making a new one/.test(l)), lines.join('\n'));
      const generalSource = (vault.db.prepare("SELECT CAST(id AS TEXT) AS id FROM archive_channels WHERE name = 'general'").get() as { id: string }).id;
      assert.equal((await targetMessages(emu, general)).filter((m) => m.webhook_id).length, replayedSourceIds(vault, generalSource).length, '#general complete');
      const threadFailures = report.failed.filter((f) => f.channel.endsWith(thread.name));
      assert.equal(threadFailures.length, replayedSourceIds(vault, thread.id).length, 'each message of the gone thread listed');
      assert.match(threadFailures[0]!.reason, /the thread is gone from the target/);
      assert.ok(report.problems.some((p) => p.includes(thread.name) && /gone/.test(p)));
      assert.ok(report.sent > 200, 'the rest went');
    } finally {
      vault.close();
    }
  });

  it('CLI: --dry-run prints the plan and sends nothing; usage errors exit 2, a missing vault 4, an unreachable target 3', async () => {
    emu = await startEmulator({ seed: 34, guilds: [small, { ...sandbox!, botOwnsGuild: true }], rateLimits: false });
    const target = emu.guildIds[1]!;
    const { store, sourceGuildId } = await backedUpAndRestored(emu, target);
    temps.push(store.root);
    const env = { DISCORD_TOKEN: emu.token, GUILD_VAULT_API: emu.apiBaseUrl, GUILD_VAULT_CDN: emu.cdnBaseUrl, GUILD_VAULT_DIR: store.root };
    const dry = await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Migration of \d[\d,]* messages? from server \d+ into .+ \(\d+\): \d[\d,]* channels?, \d[\d,]* files? /);
    assert.match(dry.stdout, /#general \(\d+\) -> \d+: \d[\d,]* messages?, \d[\d,]* threads?/);
    assert.match(dry.stdout, /Lounge \(\d+\) -> \d+: .*\n +NOT MIGRATED: Discord does not let webhooks post in the chat of voice channels/);
    assert.equal(emu.requestLog.count({ route: '/webhooks/{webhook_id}/{webhook_token}' }), 0, 'a dry run sends nothing');
    const before2000 = await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--dry-run', '--until', '2000-01-01'], env);
    assert.match(before2000.stdout, /^Migration of 0 messages /, 'nothing was written before 2000');
    const window = JSON.parse((await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--dry-run', '--json', '--since', '2000-01-01', '--until', '2100-01-01'], env)).stdout) as { messages: number };
    assert.equal(window.messages, JSON.parse((await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--dry-run', '--json'], env)).stdout).messages, 'a window around everything takes everything');

    assert.equal((await runCliInProcess(['migrate', '--to', target], env)).code, 2);
    assert.equal((await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--since', 'yesterday-ish'], env)).code, 2);
    assert.equal((await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--channels', 'general'], env)).code, 2);
    assert.equal((await runCliInProcess(['migrate', '--from', '123456789012345678', '--to', target], env)).code, 4);
    const foreign = await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', '123456789012345678'], env);
    assert.equal(foreign.code, 3, foreign.stderr);

    // One channel small enough for Discord's 30 webhook messages a minute, which the CLI keeps to.
    const plan = JSON.parse((await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--dry-run', '--json'], env)).stdout) as { channels: Array<{ label: string; sourceId: string; messages: number; threads: number; problem?: string }> };
    const chosen = plan.channels.find((c) => !c.problem && c.threads === 0 && c.messages > 0 && c.messages <= 25)!;
    const run = await runCliInProcess(['migrate', '--from', sourceGuildId, '--to', target, '--channels', chosen.sourceId, '--aliases'], env);
    assert.equal(run.code, 0, run.stderr);
    // --aliases: people post as their privacy alias, never under their name.
    const vault = store.open(sourceGuildId, { mode: 'read', purpose: 'check' });
    try {
      const people = vault.db.prepare('SELECT CAST(u.id AS TEXT) AS id, u.username, u.global_name, a.alias FROM users u JOIN user_alias a ON a.user_id = u.id WHERE u.bot = 0').all() as Array<{ id: string; username: string; global_name: string | null; alias: string }>;
      const names = new Set(people.flatMap((p) => [p.username, p.global_name]).filter(Boolean));
      const posted = (await targetMessages(emu, mapped(vault, 'channel', chosen.sourceId, target)!)).filter((m) => m.webhook_id);
      assert.equal(posted.length, chosen.messages);
      assert.ok(posted.some((m) => people.some((p) => p.alias === m.author.username)), 'aliases used');
      assert.ok(posted.every((m) => !names.has(m.author.username)), 'no real name');
    } finally {
      vault.close();
    }
    assert.match(run.stdout, new RegExp(`Migration finished: ${chosen.messages.toLocaleString('en-US')} messages? sent to `));
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(emu.token.slice(0, 20)));
  });
});
