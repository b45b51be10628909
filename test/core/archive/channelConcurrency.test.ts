import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { ChannelConcurrency } from '../../../src/core/archive/channelConcurrency';
import type { DiscordClientEmitter, RequestEvent } from '../../../src/core/discord/events';

/**
 * The controller alone, fed the request events a client would emit: what
 * makes it start more channels and what holds it back. (The archive test
 * beside it runs it against the emulator.)
 */
describe('ChannelConcurrency: what counts against the global budget', () => {
  const request = (over: Partial<RequestEvent>): RequestEvent => ({ method: 'GET', route: '/channels/:id/messages', status: 200, durationMs: 5, source: 'api', pacedMs: 0, ...over });

  /** Runs 20 channels of `channelMs` each while `traffic` emits events every 5 ms; returns the peak. */
  async function peakWith(traffic: () => RequestEvent, channelMs = 120): Promise<number> {
    const events = new EventEmitter() as DiscordClientEmitter;
    const concurrency = new ChannelConcurrency({ start: 2, max: 16, budget: { events }, intervalMs: 20 });
    const feed = setInterval(() => events.emit('request', traffic()), 5);
    let left = 20;
    try {
      await concurrency.run(async (keepGoing) => {
        while (left > 0) {
          left--;
          await new Promise((resolve) => setTimeout(resolve, channelMs));
          if (!keepGoing()) return;
        }
      }, () => left > 0);
    } finally {
      clearInterval(feed);
    }
    return concurrency.peak;
  }

  it('starts more channels while API sends go out without waiting', async () => {
    assert.ok((await peakWith(() => request({}))) > 2);
  });

  it('does not count file downloads: a busy CDN does not hold channels back', async () => {
    // Downloads never wait for the global budget; before, their number alone kept the archive at its start.
    assert.ok((await peakWith(() => request({ route: 'https://cdn.example/a.png', source: 'cdn', pacedMs: undefined }))) > 2);
  });

  it('starts no more once API sends wait for the budget (another job may be using it)', async () => {
    assert.equal(await peakWith(() => request({ pacedMs: 12 })), 2);
  });

  it('starts no more after a 429', async () => {
    assert.equal(await peakWith(() => request({ status: 429 })), 2);
  });
});
