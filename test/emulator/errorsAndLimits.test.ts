import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../src/emulator';
import { api, channelNamed } from './helpers';

describe('emulator: bad input is rejected like Discord does', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 2, size: 'small', rateLimits: false });
  });
  after(() => emu.close());

  it('answers an unknown route 404 code 0 and a wrong method 405 code 0', async () => {
    assert.deepEqual((await api(emu, '/guilds/1/frobnicate')).body, { message: '404: Not Found', code: 0 });
    const res = await api(emu, '/users/@me', { method: 'DELETE' });
    assert.equal(res.status, 405);
    assert.deepEqual(res.body, { message: '405: Method Not Allowed', code: 0 });
  });

  it('rejects a body that is not JSON with 50109', async () => {
    const res = await api(emu, `/guilds/${emu.guildIds[0]}/roles`, { method: 'POST', body: '{nope', headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 50109);
  });

  it('rejects malformed bodies with 50035 and an errors tree naming every bad field', async () => {
    const res = await api(emu, `/guilds/${emu.guildIds[0]}/channels`, { method: 'POST', body: { type: 99, topic: 5, permission_overwrites: [{ id: 'x', type: 0 }] } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 50035);
    assert.equal(res.body.message, 'Invalid Form Body');
    assert.equal(res.body.errors.name._errors[0].code, 'BASE_TYPE_REQUIRED');
    assert.equal(res.body.errors.type._errors[0].code, 'BASE_TYPE_CHOICES');
    assert.equal(res.body.errors.topic._errors[0].code, 'BASE_TYPE_STRING');
    assert.equal(res.body.errors.permission_overwrites['0'].id._errors[0].code, 'NUMBER_TYPE_COERCE');
    const notObject = await api(emu, `/guilds/${emu.guildIds[0]}/roles`, { method: 'POST', body: [1, 2] });
    assert.equal(notObject.body.errors._errors[0].code, 'DICT_TYPE_CONVERT');
  });

  it('rejects an empty message with 50006 and an over-long one with 50035', async () => {
    const general = channelNamed(emu, 'general');
    assert.equal((await api(emu, `/channels/${general.id}/messages`, { method: 'POST', body: {} })).body.code, 50006);
    const long = await api(emu, `/channels/${general.id}/messages`, { method: 'POST', body: { content: 'x'.repeat(2001) } });
    assert.equal(long.body.code, 50035);
    assert.ok(long.body.errors.content);
  });

  it('answers unknown objects with their 10xxx codes', async () => {
    const g = emu.guildIds[0];
    const general = channelNamed(emu, 'general');
    const cases: Array<[string, number]> = [
      [`/guilds/${g}/roles/111111111111111111`, 10011],
      [`/guilds/${g}/members/111111111111111111`, 10007],
      [`/guilds/${g}/bans/111111111111111111`, 10026],
      [`/guilds/${g}/emojis/111111111111111111`, 10014],
      [`/guilds/${g}/stickers/111111111111111111`, 10060],
      [`/channels/${general.id}/messages/111111111111111111`, 10008],
      ['/users/111111111111111111', 10013],
      ['/webhooks/111111111111111111', 10015],
    ];
    for (const [path, code] of cases) {
      const res = await api(emu, path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.code, code, path);
    }
  });
});

describe('emulator: rate limits', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 2, size: 'small', rateLimits: { globalPerSecond: 50 } });
  });
  after(() => emu.close());
  beforeEach(() => emu.rateLimits.reset());

  it('announces the bucket on every response', async () => {
    const res = await api(emu, '/users/@me');
    assert.equal(res.status, 200);
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-bucket']) assert.ok(res.headers.get(h), h);
    const remaining = Number(res.headers.get('x-ratelimit-remaining'));
    const again = await api(emu, '/users/@me');
    assert.equal(Number(again.headers.get('x-ratelimit-remaining')), remaining - 1);
    assert.equal(again.headers.get('x-ratelimit-bucket'), res.headers.get('x-ratelimit-bucket'));
    assert.ok(Math.abs(Number(res.headers.get('x-ratelimit-reset')) * 1000 - Date.now()) < 5000);
  });

  it('refuses a request over the route bucket with 429, Retry-After, the JSON body and scope user', async () => {
    const general = channelNamed(emu, 'general');
    const limit = Number((await api(emu, `/channels/${general.id}/messages?limit=1`)).headers.get('x-ratelimit-limit'));
    let limited;
    for (let i = 0; i < limit + 1 && !limited; i++) {
      const res = await api(emu, `/channels/${general.id}/messages?limit=1`);
      if (res.status === 429) limited = res;
    }
    assert.ok(limited, 'a 429 within limit+1 requests');
    assert.equal(limited.headers.get('x-ratelimit-scope'), 'user');
    assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.body.message, 'You are being rate limited.');
    assert.equal(limited.body.global, false);
    assert.ok(limited.body.retry_after > 0 && limited.body.retry_after <= 1);
    // Buckets are per major parameter: another channel is not limited.
    const other = channelNamed(emu, 'off-topic');
    assert.equal((await api(emu, `/channels/${other.id}/messages?limit=1`)).status, 200);
  });

  it('enforces the global limit with a global 429', async () => {
    emu.rateLimits.setGlobalPerSecond(5);
    try {
      const statuses = await Promise.all(Array.from({ length: 12 }, () => api(emu, `/guilds/${emu.guildIds[0]}/roles`)));
      const global = statuses.find((r) => r.status === 429);
      assert.ok(global, 'some request is refused');
      assert.equal(global.headers.get('x-ratelimit-global'), 'true');
      assert.equal(global.headers.get('x-ratelimit-scope'), 'global');
      assert.equal(global.body.global, true);
      assert.ok(statuses.filter((r) => r.status === 200).length <= 6);
    } finally {
      emu.rateLimits.setGlobalPerSecond(50);
    }
  });

  it('sends headers but never refuses when turned off', async () => {
    emu.rateLimits.setEnabled(false);
    try {
      const general = channelNamed(emu, 'general');
      const results = await Promise.all(Array.from({ length: 80 }, () => api(emu, `/channels/${general.id}/messages?limit=1`)));
      assert.ok(results.every((r) => r.status === 200));
      assert.ok(results.every((r) => Number(r.headers.get('x-ratelimit-remaining')) > 0));
    } finally {
      emu.rateLimits.setEnabled(true);
    }
  });
});

describe('emulator: faults and the request log', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 2, size: 'small', rateLimits: false });
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
  });

  it('injects 429 bursts with route, shared and global scope, then recovers', async () => {
    emu.faults.rateLimit({ route: '/users/@me', times: 2, scope: 'shared', retryAfterSeconds: 0.3 });
    const a = await api(emu, '/users/@me');
    const b = await api(emu, '/users/@me');
    const c = await api(emu, '/users/@me');
    assert.deepEqual([a.status, b.status, c.status], [429, 429, 200]);
    assert.equal(a.headers.get('x-ratelimit-scope'), 'shared');
    assert.equal(a.body.retry_after, 0.3);
    emu.faults.rateLimit({ route: '/users/@me', scope: 'global' });
    const g = await api(emu, '/users/@me');
    assert.equal(g.headers.get('x-ratelimit-global'), 'true');
    assert.equal(g.body.global, true);
    assert.equal(emu.requestLog.count({ route: '/users/@me', status: 429 }), 3);
    assert.equal(emu.requestLog.filter((e) => e.fault === 'rateLimit').length, 3);
  });

  it('injects 5xx answers and only on the matching route', async () => {
    emu.faults.serverError({ route: /messages/, status: 503, times: 1 });
    assert.equal((await api(emu, '/users/@me')).status, 200);
    const general = channelNamed(emu, 'general');
    assert.equal((await api(emu, `/channels/${general.id}/messages`)).status, 503);
    assert.equal((await api(emu, `/channels/${general.id}/messages`)).status, 200);
  });

  it('resets connections and slows responses', async () => {
    emu.faults.connectionReset({ route: '/users/@me' });
    await assert.rejects(fetch(`${emu.apiBaseUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${emu.token}` } }));
    emu.faults.slow({ route: '/users/@me', delayMs: 300 });
    const started = Date.now();
    assert.equal((await api(emu, '/users/@me')).status, 200);
    assert.ok(Date.now() - started >= 290);
    assert.deepEqual(
      emu.requestLog.map((e) => [e.method, e.route, e.status]),
      [
        ['GET', '/users/@me', 0],
        ['GET', '/users/@me', 200],
      ],
    );
  });

  it('slows CDN answers too (a media download still under way)', async () => {
    emu.faults.slow({ route: /^cdn:\/emojis/, delayMs: 300 });
    const started = Date.now();
    await (await fetch(`${emu.cdnBaseUrl}/emojis/1.png`)).arrayBuffer();
    assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
  });

  it('logs method, route template, path and status of every request, CDN included', async () => {
    const general = channelNamed(emu, 'general');
    await api(emu, `/channels/${general.id}/messages?limit=2`);
    await api(emu, '/users/@me', { token: 'bad' });
    await fetch(`${emu.cdnBaseUrl}/emojis/1.png`);
    assert.deepEqual(emu.requestLog[0], { ...emu.requestLog[0], method: 'GET', route: '/channels/{channel_id}/messages', path: `/channels/${general.id}/messages?limit=2`, status: 200 });
    assert.equal(emu.requestLog.count({ status: 401 }), 1);
    assert.equal(emu.requestLog[2].route, 'cdn:/emojis');
  });
});

describe('emulator: the invalid-request block', () => {
  it('blocks every API request after too many 401/403/429 answers, like Cloudflare, until it lifts', async () => {
    const emu = await startEmulator({ seed: 2, size: 'small', rateLimits: false, invalidRequests: { limit: 5, windowMs: 60_000, banMs: 60_000 } });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await api(emu, '/users/@me', { token: 'wrong' })).status, 401);
      const res = await fetch(`${emu.apiBaseUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${emu.token}` } });
      assert.equal(res.status, 429);
      assert.equal(await res.text(), 'error code: 1015');
      assert.equal(res.headers.get('x-ratelimit-bucket'), null);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.ok(emu.invalidRequests.blockedFor() > 0);
      // The CDN is not behind the block.
      assert.notEqual((await fetch(`${emu.cdnBaseUrl}/emojis/1.png`)).status, 429);
      emu.invalidRequests.reset();
      assert.equal((await api(emu, '/users/@me')).status, 200);
    } finally {
      await emu.close();
    }
  });

  it('does not count shared-scope 429s', async () => {
    const emu = await startEmulator({ seed: 2, size: 'small', rateLimits: false, invalidRequests: { limit: 3, windowMs: 60_000, banMs: 60_000 } });
    try {
      emu.faults.rateLimit({ route: '/users/@me', scope: 'shared', times: 5, retryAfterSeconds: 0.01 });
      for (let i = 0; i < 5; i++) assert.equal((await api(emu, '/users/@me')).status, 429);
      assert.equal((await api(emu, '/users/@me')).status, 200);
    } finally {
      await emu.close();
    }
  });
});
