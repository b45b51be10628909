import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runCliInProcess } from '../../cli/runInProcess';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { tempDir } from '../../support/tempDir';

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCliInProcess(argv, env);
  return { code, out: stdout, err: stderr };
}

describe('guild-vault restore', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let env: Record<string, string>;
  let guildId: string;

  before(async () => {
    emu = await startEmulator({ seed: 9, size: 'small', rateLimits: false });
    guildId = emu.guildIds[0];
    env = { DISCORD_TOKEN: emu.token, GUILD_VAULT_API: emu.apiBaseUrl, GUILD_VAULT_CDN: emu.cdnBaseUrl, GUILD_VAULT_DIR: tempDir('gv-cli-restore-') };
  });
  after(async () => {
    await emu.close();
  });

  it('prints the plan with --dry-run and changes nothing, then applies it; usage errors exit 2', async () => {
    assert.equal((await cli(['snapshot', guildId], env)).code, 0);
    const guild = emu.world.guild(guildId)!;
    const role = [...guild.roles.values()].find((r) => r.name === 'Artist')!;
    guild.roles.delete(role.id);
    const admin = [...guild.roles.values()].find((r) => r.name === 'Admin')!;
    admin.hoist = false;

    const dry = await cli(['restore', '--snapshot', '1', '--to', guildId, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /^Restore of snapshot #1 into server \d+ \(in place\): \d+ actions, 1 blocked\./);
    assert.match(dry.out, /role\.create +@Artist: recreate \(deleted since the snapshot\)/);
    assert.match(dry.out, /role\.update +@Admin: hoist\n +BLOCKED: @Admin is at or above the bot's highest role @Guild Vault/);
    assert.ok(![...guild.roles.values()].some((r) => r.name === 'Artist'), 'a dry run changes nothing');

    const applied = await cli(['restore', '--snapshot', '1', '--to', guildId], env);
    assert.equal(applied.code, 0, applied.err);
    assert.match(applied.out, /Restore finished: \d+ done, 1 skipped, 0 failed\.\n  Pre-restore snapshot: #2\n  skipped role\.update @Admin: @Admin is at or above/);
    assert.ok([...guild.roles.values()].some((r) => r.name === 'Artist'));

    const again = await cli(['restore', '--snapshot', '1', '--to', guildId, '--dry-run'], env);
    assert.match(again.out, /: 1 action, 1 blocked\./);

    assert.equal((await cli(['restore', '--to', guildId], env)).code, 2);
    assert.equal((await cli(['restore', '--snapshot', '1', '--to', guildId, '--include', 'emojis'], env)).code, 2);
    const noVault = await cli(['restore', '--snapshot', '1', '--to', guildId, '--from', '123456789012345678'], env);
    assert.equal(noVault.code, 4, noVault.err);
  });
});
