import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import { DiscordClient, isDiscordApiError, type DiscordClientOptions, type RateLimitedEvent, type RetryEvent } from '../../../src/core/discord';
import { verifyToken } from '../../../src/core/connect';
import { isGuildVaultError } from '../../../src/core/errors';
import { DEFAULT_BOT_PERMISSIONS, startEmulator, type Emulator } from '../../../src/emulator';
import { closedPort } from '../../support/closedPort';
import { rejection } from '../../support/rejection';


describe('DiscordClient requests against the emulator', function () {
  let emu: Emulator;
  const clientFor = (options: Partial<DiscordClientOptions> = {}) =>
    new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retryBackoffMs: 20, ...options });

  before(async () => {
    emu = await startEmulator({ seed: 7, size: 'small', rateLimits: false });
  });
  after(async () => {
    await emu.close();
  });
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
  });

  it('checks a valid token and returns the bot user', async () => {
    const client = clientFor();
    const bot = await verifyToken(client);
    assert.equal(bot.bot, true);
    assert.match(bot.id, /^\d{17,19}$/);
    // Logging the client (a debugger, an error report) must not show the token.
    assert.ok(!inspect(client, { depth: 8 }).includes(emu.token));
  });

  it('dispose() drops listeners and timers, and the client still answers afterwards', async () => {
    const client = clientFor();
    client.events.on('request', () => {});
    client.dispose();
    assert.equal(client.events.listenerCount('request'), 0);
    assert.equal((await client.getCurrentUser()).bot, true);
  });

  it('reports a wrong token as INVALID_TOKEN, sends it once, then stops asking Discord', async () => {
    const badToken = `${emu.token.slice(0, -6)}XXXXXX`;
    const client = clientFor({ token: badToken });
    const first = await rejection(client.getCurrentUser());
    assert.ok(isDiscordApiError(first, 'INVALID_TOKEN'), String(first));
    assert.equal(first.status, 401);
    assert.ok(!first.message.includes(badToken) && !first.hint.includes(badToken), 'the token must not be in the error');
    const second = await rejection(client.get('/users/@me/guilds'));
    assert.ok(isDiscordApiError(second, 'INVALID_TOKEN'));
    // 401s count towards Discord's invalid-request IP ban: exactly one went out.
    assert.equal(emu.requestLog.count({ status: 401 }), 1);
  });

  it('reports a server the bot is not in (Unknown Guild) as MISSING_ACCESS, without retrying', async () => {
    const error = await rejection(clientFor().get('/guilds/123456789012345678'));
    assert.ok(isDiscordApiError(error, 'MISSING_ACCESS'), String(error));
    assert.match(error.message, /not in server 123456789012345678/);
    assert.equal(emu.requestLog.length, 1);
  });

  it('reports an invalid query as BAD_REQUEST with Discord\'s code', async () => {
    const channelId = emu.world.readableChannelIds(emu.guildIds[0]!)[0]!;
    const error = await rejection(clientFor().get(`/channels/${channelId}/messages`, { query: { limit: 500 } }));
    assert.ok(isDiscordApiError(error, 'BAD_REQUEST'), String(error));
    assert.equal(error.discordCode, 50035);
  });

  it('reports an API nobody listens on as API_UNREACHABLE at once (no retry), naming the address', async () => {
    const port = await closedPort();
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: `http://127.0.0.1:${port}/api` });
    let attempts = 0;
    client.events.on('request', () => attempts++);
    client.events.on('retry', () => assert.fail('a refused connection is not retried'));
    const started = Date.now();
    const error = await rejection(client.getCurrentUser());
    assert.ok(isDiscordApiError(error, 'API_UNREACHABLE'), String(error));
    assert.equal(attempts, 1);
    // Retrying with the default backoff would take 3.5 s; the bound leaves room for a loaded machine.
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(error.message, /refused/);
    assert.ok(!error.message.includes(emu.token));
  });

  it('retries 5xx answers with backoff and announces each retry', async () => {
    emu.faults.serverError({ route: '/users/@me', times: 2, status: 502 });
    const client = clientFor();
    const retries: RetryEvent[] = [];
    client.events.on('retry', (event) => retries.push(event));
    const bot = await client.getCurrentUser();
    assert.equal(bot.bot, true);
    assert.deepEqual(retries.map((r) => [r.attempt, r.reason]), [[2, 'HTTP 502'], [3, 'HTTP 502']]);
    assert.equal(emu.requestLog.count({ route: '/users/@me' }), 3);
  });

  it('gives up after `retries` retries with API_ERROR naming the status', async () => {
    emu.faults.serverError({ route: '/users/@me', times: 10, status: 500 });
    const error = await rejection(clientFor({ retries: 2 }).getCurrentUser());
    assert.ok(isDiscordApiError(error, 'API_ERROR'), String(error));
    assert.equal(error.status, 500);
    assert.equal(emu.requestLog.count({ route: '/users/@me' }), 3);
  });

  it('retries a dropped connection', async () => {
    emu.faults.connectionReset({ route: '/users/@me', times: 1 });
    const client = clientFor();
    const retries: RetryEvent[] = [];
    client.events.on('retry', (event) => retries.push(event));
    assert.equal((await client.getCurrentUser()).bot, true);
    assert.equal(retries.length, 1);
  });

  it('never sends a POST twice when it may have reached Discord (reset, 500), but does after a 502', async () => {
    const SEND_MESSAGES = 1n << 11n;
    const channelId = emu.world
      .readableChannelIds(emu.guildIds[0]!)
      .find((id) => emu.world.channel(id)!.channel.type === 0 && (emu.world.botPermissionsIn(id) & SEND_MESSAGES) !== 0n)!;
    const route = '/channels/{channel_id}/messages';
    const post = () => clientFor().post<{ id: string }>(`/channels/${channelId}/messages`, { body: { content: 'hello from the test' } });
    const posted = () => emu.requestLog.count({ method: 'POST', route });

    emu.faults.connectionReset({ method: 'POST', route, times: 1 });
    const reset = await rejection(post());
    assert.ok(isDiscordApiError(reset, 'API_UNREACHABLE'), String(reset));
    assert.equal(posted(), 1);

    emu.requestLog.clear();
    emu.faults.serverError({ method: 'POST', route, times: 1, status: 500 });
    const failed = await rejection(post());
    assert.ok(isDiscordApiError(failed, 'API_ERROR'), String(failed));
    assert.equal(posted(), 1);

    emu.requestLog.clear();
    emu.faults.serverError({ method: 'POST', route, times: 1, status: 502 });
    const message = await post();
    assert.match(message.id, /^\d+$/);
    assert.equal(posted(), 2);
  });

  it('times out a request that gets no answer, retries it once only, then reports API_UNREACHABLE', async () => {
    emu.faults.slow({ route: '/users/@me', times: 5, delayMs: 3000 });
    const started = Date.now();
    const error = await rejection(clientFor({ timeoutMs: 200, retries: 3 }).getCurrentUser());
    assert.ok(isDiscordApiError(error, 'API_UNREACHABLE'), String(error));
    assert.match(error.message, /no answer within 200 ms/);
    // Less than the 3 s the server takes to answer: it did not wait for it.
    assert.ok(Date.now() - started < 2900, `took ${Date.now() - started} ms`);
    assert.equal(emu.faults.pending[0]?.times, 3, 'two attempts reached the server');
  });

  it('honours an injected 429: waits Retry-After, emits rateLimited, then succeeds', async () => {
    emu.faults.rateLimit({ route: '/users/@me', times: 1, retryAfterSeconds: 0.4, scope: 'user' });
    const client = clientFor();
    const waits: RateLimitedEvent[] = [];
    client.events.on('rateLimited', (event) => waits.push(event));
    const started = Date.now();
    assert.equal((await client.getCurrentUser()).bot, true);
    assert.ok(Date.now() - started >= 400, `answered after ${Date.now() - started} ms`);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]!.waitMs >= 400);
    assert.equal(emu.requestLog.count({ route: '/users/@me', status: 429 }), 1);
  });

  it('reports a global 429 as a global wait', async () => {
    emu.faults.rateLimit({ route: '/users/@me', times: 1, retryAfterSeconds: 0.2, scope: 'global' });
    const client = clientFor();
    const waits: RateLimitedEvent[] = [];
    client.events.on('rateLimited', (event) => waits.push(event));
    await client.getCurrentUser();
    assert.ok(waits.some((w) => w.global && w.waitMs >= 200), JSON.stringify(waits));
  });

  it('cancels a request in flight at once, with CANCELLED', async () => {
    emu.faults.slow({ route: '/users/@me', times: 1, delayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await rejection(clientFor().getCurrentUser({ signal: controller.signal }));
    assert.ok(isGuildVaultError(error, 'CANCELLED'), String(error));
    // Well before the 5 s answer, with room for a loaded machine.
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
  });

  it('cancels a request waiting out a long rate limit without waiting for it', async () => {
    emu.faults.rateLimit({ route: '/users/@me', times: 1, retryAfterSeconds: 30 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await rejection(clientFor().getCurrentUser({ signal: controller.signal }));
    assert.ok(isGuildVaultError(error, 'CANCELLED'), String(error));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms (the rate limit lasts 30 s)`);
  });

  it('leaves no abort listener on a job-wide signal after many requests', async () => {
    const controller = new AbortController();
    const client = clientFor();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await Promise.all(Array.from({ length: 60 }, () => client.getCurrentUser({ signal: controller.signal })));
    } finally {
      process.off('warning', onWarning);
    }
    assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning'), []);
  });

  it('emits a request event per attempt with method, route and status', async () => {
    const client = clientFor();
    const seen: string[] = [];
    client.events.on('request', (event) => seen.push(`${event.method} ${event.route} ${event.status}`));
    await client.getCurrentUser();
    await rejection(client.get('/guilds/123456789012345678'));
    assert.equal(seen[0], 'GET /users/@me 200');
    assert.match(seen[1]!, /^GET \/guilds\/123456789012345678 (403|404)$/);
  });

  it('reports a missing permission as MISSING_PERMISSION naming what was refused', async () => {
    const BAN_MEMBERS = 1n << 2n;
    const ADMINISTRATOR = 1n << 3n;
    const limited = await startEmulator({ seed: 7, size: 'small', rateLimits: false, botPermissions: DEFAULT_BOT_PERMISSIONS & ~BAN_MEMBERS & ~ADMINISTRATOR });
    try {
      const client = new DiscordClient({ token: limited.token, apiBaseUrl: limited.apiBaseUrl });
      const error = await rejection(client.bans(limited.guildIds[0]!).next());
      assert.ok(isDiscordApiError(error, 'MISSING_PERMISSION'), String(error));
      assert.equal(error.discordCode, 50013);
      assert.match(error.message, /bans of server/);
      assert.match(error.hint, /Roles/);
    } finally {
      await limited.close();
    }
  });

  it('stops at once on a Cloudflare IP block (429 without Discord\'s headers) instead of sleeping it out', async () => {
    const guarded = await startEmulator({ seed: 7, size: 'small', rateLimits: false, invalidRequests: { limit: 3, windowMs: 60_000, banMs: 30 * 60_000 } });
    try {
      // Three rejected tokens: three invalid requests, and the IP is blocked.
      for (let i = 0; i < 3; i++) await rejection(new DiscordClient({ token: `${guarded.token.slice(0, -3)}x${i}y`, apiBaseUrl: guarded.apiBaseUrl }).getCurrentUser());
      assert.ok(guarded.invalidRequests.blockedFor() > 0);
      const started = Date.now();
      const error = await rejection(new DiscordClient({ token: guarded.token, apiBaseUrl: guarded.apiBaseUrl }).getCurrentUser());
      assert.ok(isDiscordApiError(error, 'RATE_LIMITED'), String(error));
      assert.match(error.message, /Cloudflare.*about 30 minutes/);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms (the block lasts 30 minutes)`);
      assert.equal(guarded.requestLog.count({ route: 'cloudflare' }), 1);
    } finally {
      await guarded.close();
    }
  });
});
