/**
 * An API address that answers, but not like Discord: HTML pages, null, wrong
 * shapes, gigabyte bodies, 429s forever, tokens that cannot be tokens. Each is
 * served by the emulator (its `answer` fault) and must end in one clear error,
 * quickly, with bounded memory.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiscordClient, isDiscordApiError, type DiscordClientOptions, type HttpThread, type RateLimitedEvent } from '../../../src/core/discord';
import { GET_RESPONSE_SHAPES } from '../../../src/core/discord/responseShapes';
import { isGuildVaultError } from '../../../src/core/errors';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { startHttpThread } from '../../../src/workers/jobHttpThread';
import { runCliInProcess } from '../../cli/runInProcess';
import { tempDir } from '../../support/tempDir';
import { rejection } from '../../support/rejection';


const JSON_TYPE = { 'Content-Type': 'application/json' };

/** Where the client reads answers: on its own thread (the CLI), or on an HTTP thread (the job workers). */
const READERS = [
  { where: 'on the client\'s thread', start: (): HttpThread | undefined => undefined },
  { where: 'on an HTTP thread', start: (): HttpThread | undefined => startHttpThread(path.join(__dirname, '../../../src/workers/jobWorker.ts')) },
];

describe('DiscordClient against an API that does not answer like Discord', function () {
  this.timeout(60_000);
  let emu: Emulator;
  const clientOf = (options: Partial<DiscordClientOptions> = {}) =>
    new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retryBackoffMs: 10, ...options });

  before(async () => {
    emu = await startEmulator({ seed: 12, size: 'small', rateLimits: false });
  });
  after(async () => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.requestLog.clear();
  });

  // The job workers read answers on an HTTP thread (HttpThread): every hostile answer must end the same way there.
  for (const reader of READERS) {
    describe(`answers read ${reader.where}`, () => {
      let thread: HttpThread | undefined;
      before(() => (thread = reader.start()));
      after(async () => thread?.close());
      const clientFor = (options: Partial<DiscordClientOptions> = {}) => clientOf({ exchange: thread?.exchange, ...options });

      const notDiscord = async (call: (client: DiscordClient) => Promise<unknown>, pattern: RegExp) => {
        const error = await rejection(call(clientFor()));
        assert.ok(isDiscordApiError(error, 'API_NOT_DISCORD'), String(error));
        assert.ok(error.message.includes(`The API at ${emu.apiBaseUrl} did not answer like Discord`), error.message);
        assert.match(error.message, pattern);
      };

      it('refuses an HTML page, invalid JSON and an empty answer with one message naming the address', async () => {
        emu.faults.answer({ route: '/users/@me', status: 200, headers: { 'Content-Type': 'text/html' }, body: '<!doctype html><title>Sign in to the Wi-Fi</title>' });
        await notDiscord((c) => c.getCurrentUser(), /an HTML page instead of JSON/);
        emu.faults.answer({ route: '/users/@me', status: 200, headers: JSON_TYPE, body: '{"id": "1", ' });
        await notDiscord((c) => c.getCurrentUser(), /invalid JSON/);
        emu.faults.answer({ route: '/users/@me', status: 404, headers: { 'Content-Type': 'text/html' }, body: '<html>Not Found</html>' });
        await notDiscord((c) => c.getCurrentUser(), /HTTP 404 with an HTML page/);
      });

      it('refuses null, an array where an object belongs and an object where a list belongs', async () => {
        const guildId = emu.guildIds[0]!;
        emu.faults.answer({ route: '/users/@me', status: 200, headers: JSON_TYPE, body: 'null' });
        await notDiscord((c) => c.getCurrentUser(), /null where an object belongs/);
        emu.faults.answer({ route: '/users/@me', status: 200, headers: JSON_TYPE, body: '[{"id":"1"}]' });
        await notDiscord((c) => c.getCurrentUser(), /an array where an object belongs/);
        emu.faults.answer({ route: '/users/@me', status: 200, headers: JSON_TYPE, body: '{"username":"x"}' });
        await notDiscord((c) => c.getCurrentUser(), /without an id/);
        emu.faults.answer({ route: '/guilds/{guild_id}/roles', status: 200, headers: JSON_TYPE, body: '{"roles":[]}' });
        await notDiscord((c) => c.get(`/guilds/${guildId}/roles`), /an object where a list belongs/);
        emu.faults.answer({ route: '/users/@me/guilds', status: 200, headers: JSON_TYPE, body: '[null]' });
        await notDiscord((c) => c.getCurrentUserGuilds(), /a list holding something other than objects/);
      });

      it('reads at most 32 MB of an answer: a 2 GB body is refused with memory bounded', async () => {
        const before = process.memoryUsage().rss;
        emu.faults.answer({ route: '/users/@me', status: 200, headers: JSON_TYPE, streamBytes: 2 * 1024 ** 3 });
        await notDiscord((c) => c.getCurrentUser(), /an answer of more than 32 MB/);
        const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
        assert.ok(grown < 300, `RSS grew by ${grown.toFixed(0)} MB`);
        // Announced as too large: refused before a byte of the body is read.
        emu.faults.answer({ route: '/users/@me', status: 200, headers: { ...JSON_TYPE, 'Content-Length': String(2 * 1024 ** 3) }, streamBytes: 2 * 1024 ** 3 });
        await notDiscord((c) => c.getCurrentUser(), /an answer of 2 GB/);
      });

      for (const [label, headers, body] of [
        ['Retry-After 0', { 'Retry-After': '0' }, '{"message":"You are being rate limited.","retry_after":0,"global":false}'],
        ['no Retry-After', {}, '{"message":"You are being rate limited."}'],
        ['Retry-After 100000', { 'Retry-After': '100000' }, '{"message":"You are being rate limited.","retry_after":100000,"global":false}'],
      ] as const) {
        it(`429 forever with ${label}: capped waits, each announced with its reason, then a clear failure`, async () => {
          emu.faults.answer({ route: '/users/@me', status: 429, headers: { ...JSON_TYPE, 'X-RateLimit-Scope': 'user', ...headers }, body, times: 1000 });
          const client = clientFor({ rateLimitWaitCapMs: 80, maxRateLimitWaits: 4 });
          const waits: RateLimitedEvent[] = [];
          client.events.on('rateLimited', (event) => waits.push(event));
          const error = await rejection(client.getCurrentUser());
          assert.ok(isDiscordApiError(error, 'RATE_LIMITED'), String(error));
          assert.match(error.message, /kept refusing GET the bot user as rate limited: 4 waits in a row/);
          assert.equal(emu.requestLog.count({ route: '/users/@me', status: 429 }), 5, 'four retries, then it stops');
          assert.equal(waits.length, 4);
          for (const wait of waits) {
            assert.ok(wait.waitMs > 0 && wait.waitMs <= 80, `waited ${wait.waitMs} ms`);
            assert.match(wait.reason ?? '', /rate limited/);
          }
          if (label === 'Retry-After 100000') assert.match(waits[0]!.reason!, /100000 s; waits are capped/);
          else assert.deepEqual(waits.map((w) => w.waitMs), [10, 20, 40, 80], 'a doubling backoff, capped');
        });
      }

      it('caps a bucket reset the headers announce, instead of sleeping it out in silence', async () => {
        const me = await clientFor().getCurrentUser();
        emu.faults.answer({
          route: '/users/@me',
          status: 200,
          headers: { ...JSON_TYPE, 'X-RateLimit-Limit': '1', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset-After': '100000' },
          body: JSON.stringify(me),
        });
        const client = clientFor({ rateLimitWaitCapMs: 300 });
        await client.getCurrentUser();
        const started = Date.now();
        await client.getCurrentUser();
        assert.ok(Date.now() - started < 10_000, `the second request waited ${Date.now() - started} ms`);
      });
    });
  }

  it('refuses a token that cannot be one before any request: line breaks, non-ASCII, 100,000 characters', async () => {
    for (const token of [`${emu.token}\r\nX-Injected: 1`, `${emu.token}é`, 'a'.repeat(100_000), `${emu.token.slice(0, 10)} ${emu.token.slice(10)}`]) {
      let error: unknown;
      try {
        clientOf({ token });
      } catch (e) {
        error = e;
      }
      assert.ok(isGuildVaultError(error, 'INVALID_TOKEN'), String(error));
      assert.match((error as Error).message, /cannot be a Discord bot token/);
    }
    assert.equal(emu.requestLog.length, 0);
  });

  it('lists the response shapes as Discord\'s OpenAPI description does', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(__dirname, '../../emulator/openapi/discord-openapi.subset.json'), 'utf8'));
    const resolve = (schema: any): any => {
      while (schema?.$ref) schema = spec.components.schemas[schema.$ref.split('/').pop()];
      return schema;
    };
    const expected: Record<string, string> = {};
    for (const [template, operations] of Object.entries<any>(spec.paths)) {
      if (!operations.get) continue;
      const success = Object.entries<any>(operations.get.responses).find(([status]) => status.startsWith('2'))![1];
      const schema = resolve(success.content['application/json'].schema);
      const types = schema.oneOf ? ['object'] : [schema.type].flat().filter((t: string) => t !== 'null');
      expected[template] = types[0] === 'array' ? 'array' : schema.required?.includes('id') ? 'object with id' : 'object';
    }
    assert.deepEqual({ ...GET_RESPONSE_SHAPES }, expected);
  });

  describe('the CLI', () => {
    let tmp: string;
    beforeEach(() => (tmp = tempDir('gv-hostile-')));
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
    const cli = (args: string[], token = emu.token) => runCliInProcess([...args, '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', tmp], { DISCORD_TOKEN: token }, tmp);

    it('exits 1 with the one message, no stack trace and no vault, whatever the wrong shape', async () => {
      const guildId = emu.guildIds[0]!;
      for (const [route, body, args] of [
        ['/users/@me', '[]', ['servers']],
        ['/users/@me', '[]', ['backup', guildId]],
        ['/users/@me/guilds', 'null', ['servers']],
        ['/guilds/{guild_id}', '<html>', ['backup', guildId]],
        ['/guilds/{guild_id}', '{"name":"no id"}', ['snapshot', guildId]],
      ] as const) {
        emu.faults.clear();
        emu.faults.answer({ route, status: 200, headers: JSON_TYPE, body, times: 10 });
        {
          const { code, stderr } = await cli([...args]);
          assert.equal(code, 1, `${args[0]} with ${route} = ${body}: ${stderr}`);
          assert.match(stderr, /did not answer like Discord/);
          assert.doesNotMatch(stderr, /\n\s+at |TypeError|undefined/);
          assert.deepEqual(fs.readdirSync(tmp), [], 'no vault is created');
        }
      }
    });

    it('exits 3 at once for a token that cannot be a token, sending nothing', async () => {
      for (const token of [`${emu.token}\nX: 1`, `${emu.token}\u00e9`, 'x'.repeat(100_000)]) {
        const { code, stderr } = await cli(['servers'], token);
        assert.equal(code, 3, stderr);
        assert.match(stderr, /cannot be a Discord bot token/);
        assert.ok(stderr.length < 2000, 'the token is not echoed');
      }
      assert.equal(emu.requestLog.length, 0);
    });

    it('says on the terminal why it waits when the API keeps answering 429', async () => {
      emu.faults.answer({ route: '/users/@me', status: 429, headers: { ...JSON_TYPE, 'X-RateLimit-Scope': 'user', 'Retry-After': '0' }, body: '{"retry_after":0}', times: 2 });
      const { code, stderr } = await cli(['servers']);
      assert.equal(code, 0, stderr);
      assert.match(stderr, /waiting 500 ms before retrying GET \/users\/@me: rate limited, told to retry at once \(1 of at most 10\)/);
    });
  });
});
