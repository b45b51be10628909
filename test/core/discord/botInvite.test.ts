import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backupPermissionBits, botInviteUrl } from '../../../src/core/discord/botInvite';
import { BOT_PERMISSIONS } from '../../../src/core/discord/botPermissions';
import { DiscordClient } from '../../../src/core/discord';
import { checkHealth } from '../../../src/core/snapshots';
import { permissionNames } from '../../../src/core/snapshots/permissions';
import { startEmulator, type Emulator } from '../../../src/emulator';

describe('discord: bot invite link', () => {
  it('asks for the read permissions a full backup needs and nothing that writes messages', () => {
    const url = new URL(botInviteUrl('123456789012345678'));
    assert.equal(url.searchParams.get('client_id'), '123456789012345678');
    assert.equal(url.searchParams.get('scope'), 'bot');
    assert.equal(url.searchParams.get('permissions'), '17716806692');
    const SEND_MESSAGES = 1n << 11n;
    const ADMINISTRATOR = 1n << 3n;
    assert.equal(backupPermissionBits() & (SEND_MESSAGES | ADMINISTRATOR), 0n);
  });

  it("README's bot-permissions table and invite URL say what the invite asks for, and its restore line what a restore adds", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| Permission | Why |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2).map((row) => row.split('|').slice(1, -1).map((cell) => cell.trim()));
    const backup = BOT_PERMISSIONS.filter((p) => p.use === 'backup');
    assert.deepEqual(rows, backup.map((p) => [p.label, p.reason]));
    assert.ok(readme.includes(`&scope=bot&permissions=${backupPermissionBits()}\``), 'the invite URL in README asks for the same bits');
    const restoreLine = /Restoring structure into a server also needs ([^,]+?), and/.exec(readme)?.[1];
    assert.deepEqual(restoreLine?.split(' and '), BOT_PERMISSIONS.filter((p) => p.use === 'restore').map((p) => `**${p.label}**`));
  });
});

/**
 * The invite and the health check read the same list; this checks the list against a
 * server: a bot invited with exactly the invite's permissions passes the backup part of
 * the health check, and one without them is told about each by name.
 */
describe('discord: the invite gives what the health check verifies', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let client: DiscordClient;
  before(async () => {
    emu = await startEmulator({ seed: 4, size: 'small', rateLimits: false });
    client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl, retries: 0 });
  });
  after(async () => {
    client.dispose();
    await emu.close();
  });

  /** The health check's permission problems for a bot whose only permissions are `bits`. */
  async function permissionProblems(bits: bigint): Promise<{ id: string; severity: string }[]> {
    const guildId = emu.guildIds[0]!;
    const guild = emu.world.guild(guildId)!;
    const botRole = [...guild.roles.values()].find((r) => r.tags?.bot_id === emu.botUserId)!;
    guild.members.get(emu.botUserId)!.roles = [botRole.id];
    guild.roles.get(guildId)!.permissions = '0';
    botRole.permissions = bits.toString();
    const report = await checkHealth(client, guildId);
    return report.problems.filter((p) => p.id.startsWith('permission:')).map(({ id, severity }) => ({ id, severity }));
  }

  it('finds nothing missing for backups when the bot has exactly the invite permissions', async () => {
    const problems = await permissionProblems(backupPermissionBits());
    assert.deepEqual(
      problems.filter((p) => p.severity !== 'info'),
      [],
      'every permission the health check needs for backups is in the invite',
    );
    // What remains is what only a restore needs, which the invite leaves out on purpose.
    assert.deepEqual(problems.map((p) => p.id), BOT_PERMISSIONS.filter((p) => p.use === 'restore').map((p) => `permission:${permissionNames(p.flag)[0]}`));
  });

  it('names every invite permission a bot lacks', async () => {
    const problems = await permissionProblems(0n);
    for (const name of permissionNames(backupPermissionBits())) {
      assert.ok(problems.some((p) => p.id === `permission:${name}` && p.severity !== 'info'), `the health check reports a missing ${name}`);
    }
  });
});
