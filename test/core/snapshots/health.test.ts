/**
 * The health check's intents, read from the application's flags (GET /applications/@me)
 * against the emulator with each intent on, limited and off, and its fallback when
 * that route is not served.
 */
import * as assert from 'node:assert/strict';
import { DiscordClient } from '../../../src/core/discord';
import { checkHealth } from '../../../src/core/snapshots';
import { startEmulator, type Emulator } from '../../../src/emulator';

describe('snapshots: health check, privileged intents', () => {
  let emu: Emulator;
  let client: DiscordClient;
  let guildId: string;

  before(async () => {
    emu = await startEmulator({ seed: 4, size: 'small', rateLimits: false });
    client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retries: 0 });
    guildId = emu.guildIds[0];
  });
  beforeEach(() => {
    emu.world.intents.messageContent = true;
    emu.world.intents.guildMembers = true;
    emu.faults.clear();
  });
  after(async () => {
    client.dispose();
    await emu.close();
  });

  const intentProblems = (report: Awaited<ReturnType<typeof checkHealth>>) => report.problems.filter((p) => p.id.startsWith('intent:'));

  it('reports both intents enabled, and no intent problem, when both are on', async () => {
    const report = await checkHealth(client, guildId);
    assert.deepEqual(report.intents, { messageContent: 'enabled', guildMembers: 'enabled' });
    assert.deepEqual(intentProblems(report), []);
  });

  it('reports both intents disabled with what each costs the backup', async () => {
    emu.world.intents.messageContent = false;
    emu.world.intents.guildMembers = false;
    const report = await checkHealth(client, guildId);
    assert.deepEqual(report.intents, { messageContent: 'disabled', guildMembers: 'disabled' });
    const content = report.problems.find((p) => p.id === 'intent:message-content')!;
    assert.equal(content.severity, 'error');
    assert.match(content.cost, /message text, embeds, attachments and components come back empty/);
    assert.match(content.fix, /Privileged Gateway Intents/);
    const members = report.problems.find((p) => p.id === 'intent:guild-members')!;
    assert.equal(members.severity, 'warning');
    assert.match(members.cost, /member role assignments are not backed up/);
  });

  it('reports an intent on in its limited form as limited, worth knowing but not blocking', async () => {
    emu.world.intents.messageContent = 'limited';
    emu.world.intents.guildMembers = false;
    const report = await checkHealth(client, guildId);
    assert.deepEqual(report.intents, { messageContent: 'limited', guildMembers: 'disabled' });
    assert.deepEqual(
      intentProblems(report).map((p) => [p.id, p.severity]),
      [
        ['intent:message-content-limited', 'info'],
        ['intent:guild-members', 'warning'],
      ],
    );
    assert.match(report.problems.find((p) => p.id === 'intent:message-content-limited')!.cost, /from 100 on/);
  });

  it('without /applications/@me (a proxy that does not serve it): Message Content unknown, Server Members probed', async () => {
    emu.world.intents.messageContent = false;
    emu.world.intents.guildMembers = false;
    emu.faults.serverError({ route: '/applications/@me', status: 502, times: 10 });
    const off = await checkHealth(client, guildId);
    assert.deepEqual(off.intents, { messageContent: 'unknown', guildMembers: 'disabled' });
    assert.deepEqual(intentProblems(off).map((p) => p.id), ['intent:guild-members']);

    emu.world.intents.guildMembers = true;
    const on = await checkHealth(client, guildId);
    assert.deepEqual(on.intents, { messageContent: 'unknown', guildMembers: 'enabled' });
    assert.equal(emu.requestLog.count({ method: 'GET', route: '/applications/@me', status: 502 }), 2);
  });

  it('when the bot\'s own member cannot be read: a report all the same, from its server-wide permissions, saying so', async () => {
    const normal = await checkHealth(client, guildId);
    emu.faults.answer({ route: '/guilds/{guild_id}/members/{user_id}', status: 403, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Missing Access","code":50001}', times: 10 });
    const report = await checkHealth(client, guildId);
    assert.deepEqual(report.permissions, normal.permissions, 'the server-wide permissions Discord lists with the bot\'s servers');
    const problem = report.problems.find((p) => p.id === 'member:unreadable');
    assert.ok(problem, JSON.stringify(report.problems));
    assert.match(problem.what, /Missing Access/);
  });
});
