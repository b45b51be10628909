import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../src/emulator';
import { timestampOfSnowflake } from '../../src/emulator/ids/snowflake';
import { api } from './helpers';

describe('emulator: millions of messages, generated lazily', () => {
  let emu: Emulator;
  let channelId: string;
  before(async () => {
    emu = await startEmulator({ seed: 40, size: { channels: 3, messagesPerChannel: 5_000_000 }, rateLimits: false });
    channelId = emu.world.readableChannelIds(emu.guildIds[0])[0];
  });
  after(() => emu.close());

  it('keeps no per-message state for a 15-million-message world', () => {
    // Generation is deferred: starting the world allocated no message objects.
    const stores = emu.world.channelIdsWithMessages(emu.guildIds[0]).map((id) => emu.world.messageStore(id)!);
    assert.equal(stores.reduce((n, s) => n + s.liveCount, 0), 15_000_000);
    assert.ok(stores.every((s) => s.posted.length === 0));
  });

  it('serves both ends of the history, ids strictly increasing and unique across channels', async () => {
    const newest = (await api(emu, `/channels/${channelId}/messages?limit=100`)).body as Array<{ id: string; timestamp: string }>;
    const oldest = (await api(emu, `/channels/${channelId}/messages?limit=100&after=0`)).body as typeof newest;
    assert.equal(newest.length, 100);
    assert.equal(oldest.length, 100);
    for (const page of [newest, oldest]) {
      for (let i = 1; i < page.length; i++) assert.ok(BigInt(page[i - 1].id) > BigInt(page[i].id));
      for (const m of page) assert.equal(Date.parse(m.timestamp), timestampOfSnowflake(m.id));
    }
    const ids = emu.world.messageIds(channelId);
    assert.equal(ids.next().value, oldest[99].id);
    assert.equal(ids.next().value, oldest[98].id);
    assert.equal(emu.world.messageStore(channelId)!.lastMessageId(), newest[0].id);
    assert.equal(emu.world.messageCount(channelId), 5_000_000);
    const other = emu.world.readableChannelIds(emu.guildIds[0])[1];
    const otherFirst = emu.world.messageIds(other).next().value!;
    assert.notEqual(otherFirst, oldest[99].id);
    assert.equal(emu.world.messageStore(channelId)!.positionOf(otherFirst), -1, 'another channel’s id is not found here');
  });

  it('finds any message by id and generates the same message every time', async () => {
    const store = emu.world.messageStore(channelId)!;
    for (const index of [0, 1, 2_500_000, 4_999_999]) {
      const id = store.generatedIdAt(index);
      const a = (await api(emu, `/channels/${channelId}/messages/${id}`)).body;
      const b = (await api(emu, `/channels/${channelId}/messages/${id}`)).body;
      assert.equal(a.id, id);
      assert.deepEqual({ ...a, attachments: a.attachments.length }, { ...b, attachments: b.attachments.length });
      const around = (await api(emu, `/channels/${channelId}/messages?around=${id}&limit=3`)).body as Array<{ id: string }>;
      assert.ok(around.some((m) => m.id === id));
    }
  });
});
