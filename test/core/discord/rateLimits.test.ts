import * as assert from 'node:assert/strict';
import { DiscordClient, type RateLimitedEvent } from '../../../src/core/discord';
import { startEmulator, type Emulator } from '../../../src/emulator';

/** The client against the emulator with Discord's own limits switched on. */
describe('DiscordClient under Discord\'s rate limits', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let channelId: string;

  before(async () => {
    emu = await startEmulator({ seed: 21, size: { channels: 1, messagesPerChannel: 1500 }, rateLimits: true });
    channelId = emu.world.readableChannelIds(emu.guildIds[0]!)[0]!;
  });
  after(async () => emu.close());
  beforeEach(() => {
    emu.rateLimits.setGlobalPerSecond(50);
    emu.requestLog.clear();
  });

  it('walks a channel through a 10-per-second bucket without a single 429, waiting as the headers say', async () => {
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl });
    const waits: RateLimitedEvent[] = [];
    client.events.on('rateLimited', (event) => waits.push(event));
    let count = 0;
    for await (const page of client.messagesBefore(channelId)) count += page.length;
    assert.equal(count, 1500);
    // 15 full pages, and one that comes back empty (a full last page cannot tell it is the last).
    assert.equal(emu.requestLog.count({ route: '/channels/{channel_id}/messages' }), 16);
    assert.equal(emu.requestLog.count({ status: 429 }), 0);
    // 16 requests through a bucket of 10 per second: at least one wait, announced with its route.
    assert.ok(waits.length >= 1);
    assert.equal(waits[0]!.route, '/channels/:id/messages');
    assert.equal(waits[0]!.global, false);
  });

  it('paces a burst to the global limit: 120 concurrent requests, no 429', async () => {
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, globalRequestsPerSecond: 50 });
    const started = Date.now();
    // Different routes, so no per-route bucket holds them back: only the global limit applies.
    await Promise.all(Array.from({ length: 120 }, (_, i) => client.get(i % 2 ? '/users/@me' : `/guilds/${emu.guildIds[0]}/roles`)));
    assert.equal(emu.requestLog.count({ status: 429 }), 0);
    // 40 at once (slack for latency), then 50 per second: the last ones go out after about 1.6 s.
    assert.ok(Date.now() - started >= 1400, `took ${Date.now() - started} ms`);
  });

  it('waits out global 429s when the server\'s limit is lower than configured, and every request succeeds', async () => {
    emu.rateLimits.setGlobalPerSecond(10);
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, globalRequestsPerSecond: 50 });
    const waits: RateLimitedEvent[] = [];
    client.events.on('rateLimited', (event) => waits.push(event));
    const results = await Promise.all(Array.from({ length: 30 }, () => client.get<{ id: string }>('/users/@me')));
    assert.equal(results.length, 30);
    assert.ok(results.every((user) => user.id === emu.botUserId));
    assert.ok(emu.requestLog.count({ status: 429 }) > 0, 'the emulator did refuse some');
    assert.ok(waits.length > 0);
  });
});
