import * as assert from 'node:assert/strict';
import type { APIMessage } from 'discord-api-types/v10';
import { syncArchive } from '../../../src/core/archive';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, tempVault } from './emulatorHarness';

describe('archive: pins outside the recheck window', function () {
  this.timeout(60_000);
  let emu: Emulator;
  const vault = tempVault();
  before(async () => {
    emu = await startEmulator({ seed: 9, size: { channels: 2, messagesPerChannel: 400 }, rateLimits: false });
  });
  after(async () => {
    vault.close();
    await emu.close();
  });

  const pinnedFlag = (id: string) => (vault.db.prepare('SELECT pinned FROM messages WHERE id = ?').get(id) as { pinned: number }).pinned;

  it('follows pins and unpins of old messages when Discord reports a new pin time', async () => {
    const guildId = emu.guildIds[0]!;
    await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    const channelId = emu.world.readableChannelIds(guildId)[0]!;
    const store = emu.world.messageStore(channelId)!;
    const old = [...emu.world.messageIds(channelId)].slice(10, 12).map((id) => store.get(id)!) as APIMessage[];
    assert.ok(old.every((m) => !m.pinned));
    const setPinned = (message: APIMessage, pinned: boolean, at: string) => {
      if (pinned) store.pinnedAt.set(message.id, at);
      else store.pinnedAt.delete(message.id);
      store.replace({ ...message, pinned });
      emu.world.channel(channelId)!.channel.last_pin_timestamp = at;
    };
    setPinned(old[0]!, true, new Date().toISOString());
    setPinned(old[1]!, true, new Date(Date.now() + 1000).toISOString());

    emu.requestLog.clear();
    const pinning = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    assert.equal(pinning.messages.changed, 2);
    assert.equal(pinnedFlag(old[0]!.id), 1);
    assert.equal(pinnedFlag(old[1]!.id), 1);
    assert.equal(emu.requestLog.filter((e) => e.route === '/channels/{channel_id}/messages/pins').length, 1, 'only the channel whose pins changed');

    setPinned({ ...old[0]!, pinned: true }, false, new Date(Date.now() + 2000).toISOString());
    const unpinning = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    assert.equal(unpinning.messages.changed, 1);
    assert.equal(pinnedFlag(old[0]!.id), 0);
    assert.equal(pinnedFlag(old[1]!.id), 1);
    const versions = vault.db.prepare('SELECT reason FROM message_versions WHERE message_id = ?').all(old[0]!.id) as { reason: string }[];
    assert.deepEqual(versions.map((v) => v.reason), ['pinned', 'pinned']);

    emu.requestLog.clear();
    await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
    assert.equal(emu.requestLog.filter((e) => e.route === '/channels/{channel_id}/messages/pins').length, 0, 'unchanged pins cost nothing');
  });
});
