import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { startEmulator, type Emulator } from '../../src/emulator';
import { tempDir } from '../support/tempDir';
import { runCliInProcess } from './runInProcess';

/** Shaped like a bot token (base64 user id . timestamp . HMAC) and registered nowhere. */
const FOREIGN_TOKEN = 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs';

describe('guild-vault output: counts people read, secrets nobody reads', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let tmp: string;
  let api: string[];

  before(async () => {
    // Two channels of 620 messages: counts above a thousand, where separators show.
    emu = await startEmulator({ seed: 12, size: { channels: 2, messagesPerChannel: 620, members: 4, bans: 0 }, rateLimits: false });
    api = ['--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl];
  });
  after(async () => emu.close());
  beforeEach(() => {
    tmp = tempDir('gv-cli-text-');
    emu.faults.clear();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('backup says its counts with thousands separators and in the right number, and --json keeps plain numbers', async () => {
    const guildId = emu.guildIds[0]!;
    const run = await runCliInProcess(['backup', guildId, ...api, '--vault', tmp], { DISCORD_TOKEN: emu.token });
    assert.equal(run.code, 0, run.stderr);
    const summary = /(\d[\d,]*) new messages from (\d+) of (\d+) channels/.exec(run.stdout);
    assert.ok(summary, run.stdout);
    assert.match(summary[1]!, /^1,\d{3}$/, `a four-digit count has its separator: ${summary[0]}`);
    assert.match(run.stdout, /Snapshot #1: \+\d[\d,]* ~0 -0/);
    assert.match(run.stdout, /\b\d[\d,]* requests?, /);
    // No four-digit number without its separator anywhere a person reads (ids are longer, and in parentheses or after "#").
    for (const line of run.stdout.split('\n')) assert.doesNotMatch(line.replace(/\(\d{17,20}\)/g, ''), /(?<![\d,.#])\d{4,6}(?![\d,])\s+[a-z]/, line);

    const again = await runCliInProcess(['sync', guildId, ...api, '--vault', tmp, '--json'], { DISCORD_TOKEN: emu.token });
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout) as { messages: { inserted: number } };
    assert.equal(typeof report.messages.inserted, 'number', 'JSON carries numbers, not texts');
  });

  it('never prints a token the API quotes back, registered or not', async () => {
    emu.faults.answer({
      route: /\/users\/@me$/,
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 50035, message: `Invalid Form Body: ${FOREIGN_TOKEN} / Authorization: Bot ${emu.token}` }),
      times: 5,
    });
    const run = await runCliInProcess(['servers', ...api], { DISCORD_TOKEN: emu.token });
    assert.notEqual(run.code, 0);
    const printed = run.stdout + run.stderr;
    assert.ok(!printed.includes(FOREIGN_TOKEN.slice(-20)), printed);
    assert.ok(!printed.includes(emu.token), printed);
    assert.match(printed, /Invalid Form Body/);
  });
});
