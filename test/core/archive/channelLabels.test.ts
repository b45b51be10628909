import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { runCliInProcess } from '../../cli/runInProcess';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { tempDir } from '../../support/tempDir';

/**
 * A backup names channels as Discord does, in every line it prints: "#general"
 * for text channels, a thread by its plain name. Thread names are written by
 * members and may hold a "#" of their own ("Add a #3d-printing channel").
 */
describe('backup output names threads without "#"', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let root: string;
  before(async () => {
    emu = await startEmulator({ seed: 10, size: 'small', rateLimits: false });
    root = tempDir('gv-labels-');
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('in progress lines, warnings and the report, for readable and unreadable threads alike', async () => {
    const guildId = emu.guildIds[0]!;
    const guild = emu.world.guild(guildId)!;
    const active = [...guild.threads.values()].filter((t) => t.type === ChannelType.PublicThread && !t.thread_metadata?.archived && guild.channels.get(t.parent_id!)?.type === ChannelType.GuildText);
    // One parent loses Read Message History for the bot: it and its active thread become unreadable.
    const hidden = active[0]!;
    const hiddenParent = guild.channels.get(hidden.parent_id!)!;
    hiddenParent.permission_overwrites = [
      ...(hiddenParent.permission_overwrites ?? []),
      { id: emu.botUserId, type: OverwriteType.Member, allow: '0', deny: String(PermissionFlagsBits.ReadMessageHistory) },
    ];
    const readable = [...guild.threads.values()].filter((t) => t.parent_id !== hiddenParent.id && emu.world.messageCount(t.id) > 0);
    assert.ok(readable.length >= 5, 'the demo server has threads to back up');

    const run = await runCliInProcess(['backup', guildId, '--no-media', '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', root], { DISCORD_TOKEN: emu.token }, root);
    assert.equal(run.code, 0, run.stderr);
    const lines = `${run.stderr}\n${run.stdout}`.split('\n');

    for (const thread of readable) {
      // "Channel 15 of 31 · Add a #3d-printing channel · 129 messages"
      const progress = lines.filter((line) => /^Channel \d+ of \d+ · /.test(line) && line.includes(thread.name!));
      assert.ok(progress.length > 0, `a progress line names thread "${thread.name!}"`);
      for (const line of progress) assert.ok(!line.includes(`#${thread.name!}`), `no "#" before a thread: ${line}`);
    }
    const warning = lines.find((line) => line.startsWith('warn: ') && line.includes(hidden.name!));
    assert.equal(warning?.startsWith(`warn: ${hidden.name!}: `), true, `the warning names the thread plainly: ${warning}`);
    assert.ok(lines.some((line) => line.startsWith(`warn: #${hiddenParent.name!}: `)), 'and its text channel with "#"');
    assert.ok(lines.some((line) => line.startsWith(`  not readable: ${hidden.name!} (${hidden.id}): `)), 'the report too');
    assert.ok(lines.some((line) => line.startsWith(`  not readable: #${hiddenParent.name!} (${hiddenParent.id}): `)), 'and the text channel in the report with "#"');
    assert.ok(!lines.some((line) => line.includes(`#${hidden.name!}`)), 'nowhere a "#" before the thread');
  });
});
