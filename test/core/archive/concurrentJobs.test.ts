import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RateLimitedEvent, RequestEvent } from '../../../src/core/discord';
import { Job } from '../../../src/core/job';
import { backupGuild } from '../../../src/core/jobs/backup';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor } from './emulatorHarness';

/** What one job saw through its view of the shared client (DiscordClient.forJob). */
interface Seen {
  requests: RequestEvent[];
  waits: RateLimitedEvent[];
}

function watch(job: Job): Seen {
  const seen: Seen = { requests: [], waits: [] };
  job.events.on('request', (event) => seen.requests.push(event));
  job.events.on('rateLimited', (event) => seen.waits.push(event));
  return seen;
}

describe('two jobs on one client', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let root: string;
  before(async () => {
    // Two servers of one bot, with Discord's rate limits on: the jobs share buckets and the global budget.
    emu = await startEmulator({
      seed: 11,
      guilds: [
        { name: 'First', layout: 'showcase', messageScale: 0.1, members: 16, bans: 5 },
        { name: 'Second', layout: 'showcase', messageScale: 0.1, members: 16, bans: 5 },
      ],
    });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-jobs-'));
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The server a request was about, from its route: /guilds/{id}, /channels/{id}, CDN attachments of a channel. */
  function guildOf(route: string): string | undefined {
    const guild = /^\/guilds\/(\d+)/.exec(route);
    if (guild) return guild[1];
    const channel = /^\/channels\/(\d+)/.exec(route) ?? /\/attachments\/(\d+)\//.exec(route);
    return channel ? emu.world.channel(channel[1]!)?.guild.guild.id : undefined;
  }

  it('count and report only their own requests and rate-limit waits, and together what Discord saw', async () => {
    const [first, second] = emu.guildIds as [string, string];
    const client = clientFor(emu);
    const all: Seen = { requests: [], waits: [] };
    client.events.on('request', (event) => all.requests.push(event));
    client.events.on('rateLimited', (event) => all.waits.push(event));
    // One 429 for whichever job lists its channels first: that job alone must report the wait.
    emu.faults.rateLimit({ route: '/guilds/{guild_id}/channels', times: 1, retryAfterSeconds: 0.3 });
    emu.requestLog.clear();
    const store = new VaultStore(root);
    const jobs = [new Job(), new Job()] as const;
    const seen = jobs.map(watch);
    const reports = await Promise.all([backupGuild(store, client, first, {}, jobs[0]), backupGuild(store, client, second, {}, jobs[1])]);

    // Each job's requests are about its own server only.
    for (const [i, guildId] of [first, second].entries()) {
      const about = seen[i]!.requests.map((r) => guildOf(r.route)).filter((id) => id !== undefined);
      assert.ok(about.length > 50, `job ${i} made its own requests (${about.length})`);
      assert.deepEqual([...new Set(about)], [guildId], `job ${i} saw only its server's requests`);
      assert.equal(jobs[i]!.counters.requests, seen[i]!.requests.length);
      assert.ok(reports[i]!.archive.requests > 0 && reports[i]!.archive.requests <= jobs[i]!.counters.requests);
    }
    // Together they are every request the shared client made and the emulator answered.
    assert.equal(jobs[0].counters.requests + jobs[1].counters.requests, all.requests.length);
    assert.equal(all.requests.length, emu.requestLog.length);

    // The injected 429 is one job's wait, reported by that job only.
    const limited = seen.findIndex((s) => s.requests.some((r) => r.status === 429 && /\/channels$/.test(r.route)));
    assert.ok(limited >= 0, 'a job hit the 429');
    assert.ok(jobs[limited]!.counters.rateLimitWaits >= 1);
    assert.equal(jobs[0].counters.rateLimitWaits + jobs[1].counters.rateLimitWaits, all.waits.length);
    assert.equal(jobs[0].counters.rateLimitWaitMs + jobs[1].counters.rateLimitWaitMs, all.waits.reduce((sum, w) => sum + w.waitMs, 0));
    for (const [i, guildId] of [first, second].entries()) {
      for (const wait of seen[i]!.waits) {
        const about = guildOf(wait.route);
        if (about !== undefined) assert.equal(about, guildId, `job ${i} waited on ${wait.route}`);
      }
    }
    client.dispose();
  });
});
