import * as assert from 'node:assert/strict';
import type { APIMessage } from 'discord-api-types/v10';
import { listArchivedChannels, syncArchive } from '../../../src/core/archive';
import { startEmulator } from '../../../src/emulator';
import { archivedIds, clientFor, tempVault } from './emulatorHarness';

describe('archive: threads archived between two listings', function () {
  this.timeout(60_000);

  it('still gets the last messages of a thread that was active last time and is archived now', async () => {
    const emu = await startEmulator({ seed: 12, size: 'small', rateLimits: false });
    const vault = tempVault();
    try {
      const guildId = emu.guildIds[0]!;
      await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
      const guild = emu.world.guild(guildId)!;
      const readable = new Set(emu.world.readableChannelIds(guildId));
      const thread = [...guild.threads.values()].find((t) => !t.thread_metadata?.archived && readable.has(t.id) && emu.world.messageCount(t.id) > 0)!;
      assert.ok(thread, 'the demo layout has an active thread');

      // A last message, then the thread is archived: it leaves /threads/active.
      const store = emu.world.messageStore(thread.id)!;
      const template = store.get(store.lastMessageId()!)!;
      const last = { ...template, id: emu.world.liveIds.next(), content: 'last words before archiving', timestamp: new Date().toISOString() } as APIMessage;
      store.append(last);
      thread.last_message_id = last.id;
      thread.thread_metadata = { ...thread.thread_metadata!, archived: true, archive_timestamp: new Date().toISOString() };

      emu.requestLog.clear();
      const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
      assert.equal(emu.requestLog.filter((e) => /threads\/archived/.test(e.route)).length, 0, 'archived threads were listed minutes ago');
      assert.equal(report.messages.inserted, 1);
      assert.ok(archivedIds(vault, thread.id).includes(last.id));
      assert.ok(listArchivedChannels(vault).some((c) => c.id === thread.id && c.status === 'ok'));
    } finally {
      vault.close();
      await emu.close();
    }
  });
});
