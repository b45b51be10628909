import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliInProcess } from '../../cli/runInProcess';
import { startEmulator, type Emulator } from '../../../src/emulator';

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCliInProcess(argv, env);
  return { code, out: stdout, err: stderr };
}

describe('guild-vault snapshot / snapshots', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let env: Record<string, string>;
  let guildId: string;

  before(async () => {
    emu = await startEmulator({ seed: 5, size: 'small', rateLimits: false });
    guildId = emu.guildIds[0];
    env = { DISCORD_TOKEN: emu.token, GUILD_VAULT_API: emu.apiBaseUrl, GUILD_VAULT_CDN: emu.cdnBaseUrl, GUILD_VAULT_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gv-cli-snap-')) };
  });
  after(async () => {
    await emu.close();
  });

  it('takes, lists, shows, diffs, labels, pins, deletes and prunes snapshots', async () => {
    const first = await cli(['snapshot', guildId, '--label', 'before'], env);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /^Snapshot #1 \(manual, "before"\): \+\d+ ~0 -0/);
    const guild = emu.world.guild(guildId)!;
    const role = [...guild.roles.values()].find((r) => r.id !== guildId && !r.managed)!;
    role.name = 'Renamed Role';
    const second = await cli(['snapshot', guildId, '--kind', 'automatic'], env);
    assert.match(second.out, /^Snapshot #2 \(automatic\): \+0 ~1 -0/);

    const list = await cli(['snapshots', 'list', guildId], env);
    assert.equal(list.code, 0, list.err);
    assert.match(list.out.split('\n')[0], /^#2 .* automatic .* \+0 ~1 -0/);
    assert.match(list.out.split('\n')[1], /^#1 .* manual .* before/);

    const show = await cli(['snapshots', 'show', guildId, '2', '--section', 'roles'], env);
    assert.match(show.out, new RegExp(`^@Renamed Role \\(${role.id}\\)$`, 'm'));

    const diff = await cli(['snapshots', 'diff', guildId, '1', '2'], env);
    assert.equal(diff.code, 0, diff.err);
    assert.match(diff.out, /^--- #1 /m);
    assert.match(diff.out, new RegExp(`^\\+@Renamed Role \\(${role.id}\\)$`, 'm'));
    const live = await cli(['snapshots', 'diff', guildId, '2', 'live'], env);
    assert.equal(live.out, '', 'nothing changed since #2');
    assert.match(live.err, /No differences/);

    assert.match((await cli(['snapshots', 'pin', guildId, '1'], env)).out, /#1 is pinned/);
    const refused = await cli(['snapshots', 'delete', guildId, '1'], env);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /pinned/);
    assert.match((await cli(['snapshots', 'label', guildId, '2', 'after', 'rename'], env)).out, /labelled "after rename"/);

    await cli(['snapshot', guildId], env);
    await cli(['snapshot', guildId], env);
    const pruned = await cli(['snapshots', 'prune', guildId, '--keep', '2'], env);
    assert.match(pruned.out, /^Pruned #2 /);
    const ids = (await cli(['snapshots', 'list', guildId, '--json'], env)).out;
    assert.deepEqual(JSON.parse(ids).map((s: { id: number }) => s.id), [4, 3, 1]);
    assert.equal((await cli(['snapshots', 'delete', guildId, '1', '--force'], env)).code, 0);

    // Export #4, import it into a fresh vault and into this one: the same document, kind "import".
    const file = path.join(env.GUILD_VAULT_DIR, 'four.json');
    assert.equal((await cli(['snapshots', 'export', guildId, '4', '--out', file], env)).code, 0);
    const other = { ...env, GUILD_VAULT_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gv-cli-import-')) };
    const imported = await cli(['snapshots', 'import', guildId, file], other);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.out, /^Imported as snapshot #1 \("unchanged"\)/, 'the exported snapshot was a manual one of an unchanged server');
    assert.equal((await cli(['snapshots', 'show', guildId, '1'], other)).out, (await cli(['snapshots', 'show', guildId, '4'], env)).out);
    const again = await cli(['snapshots', 'import', guildId, file, '--label', 'copy'], env);
    assert.match(again.out, /^Imported as snapshot #5 \("copy"\): \+0 ~0 -0/);
    fs.writeFileSync(file, '{"format":"something else"}');
    const rejected = await cli(['snapshots', 'import', guildId, file], env);
    assert.equal(rejected.code, 2);
    assert.match(rejected.err, /not a Guild Vault snapshot file/);

    const verified = await cli(['snapshots', 'verify', guildId], env);
    assert.equal(verified.code, 0, verified.out);
    assert.match(verified.out, /^3 snapshots, \d+ nodes, \d+ stored versions: 0 corrupt, 0 wrong summaries\.$/m);

    const unknown = await cli(['snapshots', 'show', guildId, '99'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /no snapshot #99/);
  });
});
