/**
 * The job workers read Discord's answers on an HTTP thread (HttpThread). What
 * a job relies on: the same answers as on its own thread, cancel and timeouts
 * that reach the request there, and a thread that dies costing no request.
 * (Every hostile answer is also read through it: hostileApi.test.ts.)
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { DiscordClient, isDiscordApiError, type DiscordClientOptions, type HttpThread } from '../../../src/core/discord';
import { isGuildVaultError } from '../../../src/core/errors';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { startHttpThread } from '../../../src/workers/jobHttpThread';
import { closedPort } from '../../support/closedPort';
import { rejection } from '../../support/rejection';

const JOB_WORKER_SCRIPT = path.join(__dirname, '../../../src/workers/jobWorker.ts');


describe('HttpThread: answers read on a thread of their own', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let thread: HttpThread;
  const clientFor = (options: Partial<DiscordClientOptions> = {}) =>
    new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retryBackoffMs: 10, exchange: thread.exchange, ...options });

  before(async () => {
    emu = await startEmulator({ seed: 31, size: 'small', rateLimits: false });
  });
  after(async () => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
    thread = startHttpThread(JOB_WORKER_SCRIPT);
  });
  afterEach(async () => thread.close());

  it('gives the same pages as reading on the client\'s own thread, hostile text included', async () => {
    const channelId = emu.world.channelIdsWithMessages(emu.guildIds[0]!)[0]!;
    const store = emu.world.messageStore(channelId)!;
    // Text that must survive the trip byte for byte: a bidi override, NUL, a 4-byte letter, quotes, markup.
    const hostile = { ...store.get(store.lastMessageId()!)!, id: emu.world.liveIds.next(), content: 'A\u202eB\u0000 \ud83d\ude00 "quoted" \\ <script>' } as APIMessage;
    store.append(hostile);
    const route = `/channels/${channelId}/messages` as const;
    const inline = await new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl }).get<APIMessage[]>(route, { query: { limit: 100 } });
    const viaThread = await clientFor().get<APIMessage[]>(route, { query: { limit: 100 } });
    assert.ok(inline.length > 0);
    assert.deepEqual(viaThread, inline);
    assert.equal(viaThread[0]!.content, 'A\u202eB\u0000 \ud83d\ude00 "quoted" \\ <script>');
    assert.equal(thread.answered, 1, 'the page was read on the HTTP thread');
  });

  it('cancels a request under way on the thread within a second', async () => {
    await clientFor().getCurrentUser(); // the thread is up: the slow request below reaches the server
    emu.faults.slow({ route: '/users/@me', delayMs: 10_000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const error = await rejection(clientFor().getCurrentUser({ signal: controller.signal }));
    assert.ok(isGuildVaultError(error, 'CANCELLED'), String(error));
    assert.ok(Date.now() - started < 1300, `cancel took ${Date.now() - started - 300} ms`);
    // The thread is still there for the next request.
    assert.equal((await clientFor().getCurrentUser()).id, emu.world.bot.id);
  });

  it('times out a silent server on the thread, retries once, then says so', async () => {
    emu.faults.slow({ route: '/users/@me', delayMs: 5_000, times: 5 });
    const started = Date.now();
    const error = await rejection(clientFor({ timeoutMs: 200, retries: 3 }).getCurrentUser());
    assert.ok(isDiscordApiError(error, 'API_UNREACHABLE'), String(error));
    assert.match(error.message, /no answer within 200 ms/);
    assert.ok(Date.now() - started < 2_000, `gave up after ${Date.now() - started} ms: one retry for a timeout, not \`retries\``);
  });

  it('names a refused connection as on the client\'s thread, without retrying', async () => {
    const port = await closedPort();
    const error = await rejection(clientFor({ apiBaseUrl: `http://127.0.0.1:${port}` }).getCurrentUser());
    assert.ok(isDiscordApiError(error, 'API_UNREACHABLE'), String(error));
    assert.match(error.message, /connection refused/);
  });

  it('loses no request when the thread dies: the one under way is retried, the next ones run on the client\'s thread', async () => {
    emu.faults.slow({ route: '/users/@me', delayMs: 1_000 });
    const client = clientFor();
    const pending = client.getCurrentUser();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await thread.close(); // as if it crashed
    assert.equal((await pending).id, emu.world.bot.id, 'sent again after the thread was gone');
    assert.equal((await client.getCurrentUser()).id, emu.world.bot.id);
    assert.equal(thread.answered, 0);
  });
});
