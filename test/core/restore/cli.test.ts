import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { runCliInProcess } from '../../cli/runInProcess';
import { startEmulator, type Emulator } from '../../../src/emulator';

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
    env = { DISCORD_TOKEN: emu.token, GUILD_VAULT_API: emu.apiBaseUrl, GUILD_VAULT_CDN: emu.cdnBaseUrl, GUILD_VAULT_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gv-cli-restore-')) };
  });
  after(async () => {
    await emu.close();
    fs.rmSync(env.GUILD_VAULT_DIR, { recursive: true, force: true });
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

  it('keeps what the snapshot lacks unless --prune; deleting or banning needs a yes, --yes where there is no terminal', async () => {
    assert.equal((await cli(['snapshot', guildId], env)).code, 0);
    const snapshots = await cli(['snapshots', 'list', guildId, '--json'], env);
    const latest = String(Math.max(...(JSON.parse(snapshots.out) as { id: number }[]).map((s) => s.id)));
    const guild = emu.world.guild(guildId)!;
    const made = emu.world.liveIds.next();
    guild.roles.set(made, { ...[...guild.roles.values()].find((r) => r.name === 'Artist')!, id: made, name: 'Made Later', position: 1, managed: false, tags: undefined });

    const dry = await cli(['restore', '--snapshot', latest, '--to', guildId, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /Kept, not in the snapshot \(deleted only when pruning\):\n +role +@Made Later/);
    const kept = await cli(['restore', '--snapshot', latest, '--to', guildId], env);
    assert.equal(kept.code, 0, kept.err);
    assert.ok(guild.roles.has(made), 'kept without --prune');

    const unconfirmed = await cli(['restore', '--snapshot', latest, '--to', guildId, '--prune'], env);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.out, /role\.delete +@Made Later: not in the snapshot/);
    assert.match(unconfirmed.err, /This restore \(delete 1 role\) needs a confirmation, and there is no terminal to ask\.\n +Review it with --dry-run, then run it again with --yes\./);
    assert.ok(guild.roles.has(made), 'nothing deleted without a yes');

    const confirmed = await cli(['restore', '--snapshot', latest, '--to', guildId, '--prune', '--yes'], env);
    assert.equal(confirmed.code, 0, confirmed.err);
    assert.ok(!guild.roles.has(made));
  });

  it('on a terminal, asks before deleting: no keeps everything (exit 130), yes applies', async () => {
    assert.equal((await cli(['snapshot', guildId], env)).code, 0);
    const snapshots = JSON.parse((await cli(['snapshots', 'list', guildId, '--json'], env)).out) as { id: number }[];
    const latest = String(Math.max(...snapshots.map((s) => s.id)));
    const guild = emu.world.guild(guildId)!;
    const made = emu.world.liveIds.next();
    guild.roles.set(made, { ...[...guild.roles.values()].find((r) => r.name === 'Artist')!, id: made, name: 'Made Later Too', position: 1, managed: false, tags: undefined });
    const onTerminal = async (answer: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true });
      const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
      let asked = '';
      stderr.on('data', (chunk: Buffer) => {
        asked += chunk.toString();
        if (/\[y\/N\] $/.test(asked)) stdin.write(`${answer}\n`);
      });
      let out = '';
      const code = await runCli(['restore', '--snapshot', latest, '--to', guildId, '--prune'], { stdout: { write: (text: string) => (out += text) }, stderr, stdin, env, cwd: os.tmpdir() });
      return { code, asked, out };
    };
    const no = await onTerminal('n');
    assert.match(no.asked, /This restore will delete 1 role\. Apply it\? \[y\/N\] /);
    assert.equal(no.code, 130);
    assert.ok(guild.roles.has(made), 'kept after no');
    const yes = await onTerminal('yes');
    assert.equal(yes.code, 0, yes.asked);
    assert.ok(!guild.roles.has(made));
  });
});
