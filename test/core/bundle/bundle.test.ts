import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createBundle, restoreBundle } from '../../../src/core/bundle';
import { syncArchive } from '../../../src/core/archive';
import { DiscordClient } from '../../../src/core/discord';
import { isGuildVaultError } from '../../../src/core/errors';
import { Job } from '../../../src/core/job';
import { Vault, VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { runCliInProcess } from '../../cli/runInProcess';

/** Every row of every table, and every media file: two vaults with the same fingerprint hold the same data. */
function fingerprint(dir: string): { tables: Record<string, string>; media: string[]; messages: number } {
  const vault = Vault.open(dir, { mode: 'read' });
  try {
    const tables: Record<string, string> = {};
    const names = vault.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    for (const { name } of names) {
      // quote() renders every value as SQL text, so 64-bit ids and blobs compare exactly.
      const columns = (vault.db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => `quote("${c.name}")`).join(" || ',' || ");
      const rows = (vault.db.prepare(`SELECT ${columns} AS row FROM "${name}"`).all() as { row: string }[]).map((r) => r.row).sort();
      tables[name] = createHash('sha256').update(rows.join('\n')).digest('hex');
    }
    const messages = (vault.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    const media: string[] = [];
    const walk = (at: string) => {
      for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
        const full = path.join(at, entry.name);
        if (entry.isDirectory()) walk(full);
        else media.push(`${path.relative(dir, full)} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`);
      }
    };
    walk(path.join(dir, 'cas'));
    return { tables, media: media.sort(), messages };
  } finally {
    vault.close();
  }
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('vault bundles (bundle create / verify / restore)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let guildId: string;
  let root: string;
  let env: Record<string, string>;
  let vaultDir: string;

  const cli = (argv: string[], extra: Record<string, string> = {}) => runCliInProcess(argv, { ...env, ...extra });
  const file = (name: string) => path.join(root, 'bundles', name);

  before(async () => {
    emu = await startEmulator({ seed: 7, size: 'small', rateLimits: false });
    guildId = emu.guildIds[0]!;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bundle-'));
    env = { DISCORD_TOKEN: emu.token, GUILD_VAULT_API: emu.apiBaseUrl, GUILD_VAULT_CDN: emu.cdnBaseUrl, GUILD_VAULT_DIR: path.join(root, 'vaults') };
    const backup = await cli(['backup', guildId]);
    assert.equal(backup.code, 0, backup.stderr);
    vaultDir = new VaultStore(env.GUILD_VAULT_DIR).dirFor(guildId);
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('writes the whole vault into one file that verifies and restores to the same data and media', async () => {
    const created = await cli(['bundle', 'create', guildId, '--out', file('full.gvbundle')]);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /^Full bundle of .* written to .*full\.gvbundle: database [\d.]+ [KM]B, [\d,]+ media files .*(zstd|brotli), not encrypted\.$/m);
    const verified = await cli(['bundle', 'verify', file('full.gvbundle'), '--json']);
    assert.equal(verified.code, 0, verified.stderr);
    const check = JSON.parse(verified.stdout) as { manifest: { mediaIncluded: number; guildId: string }; mediaFiles: number };
    assert.equal(check.manifest.guildId, guildId);
    assert.ok(check.mediaFiles > 10, `media in the bundle (${check.mediaFiles})`);
    assert.equal(check.mediaFiles, check.manifest.mediaIncluded);

    const elsewhere = path.join(root, 'restored-full');
    const restored = await cli(['bundle', 'restore', file('full.gvbundle'), '--vault', elsewhere]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /^Restored the vault of .* from 1 bundle, with [\d,]+ media files\.$/m);
    const original = fingerprint(vaultDir);
    assert.ok(original.messages > 300);
    assert.deepEqual(fingerprint(path.join(elsewhere, guildId)), original);
    assert.deepEqual(fs.readdirSync(elsewhere), [guildId], 'no staging folder left behind');
  });

  it('copies the database consistently while a sync writes it, and an incremental bundle carries only what is new', async () => {
    await cli(['bundle', 'create', guildId, '--out', file('base.gvbundle')]);
    // New history on the server: a sync will write while the next bundle is taken.
    const channelId = emu.world.readableChannelIds(guildId).find((id) => (emu.world.botPermissionsIn(id) & 0x800n) !== 0n)!; // Send Messages
    for (let i = 0; i < 150; i++) {
      const response = await fetch(`${emu.apiBaseUrl}/v10/channels/${channelId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bot ${emu.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: `new message ${i} ${'x'.repeat(200)}` }),
      });
      assert.equal(response.status, 200);
    }
    const writer = Vault.open(vaultDir, { mode: 'write', purpose: 'sync' });
    const client = new DiscordClient({ token: emu.token, apiBaseUrl: emu.apiBaseUrl, cdnBaseUrl: emu.cdnBaseUrl });
    try {
      const sync = syncArchive(writer, client, guildId, { recheckDays: 0 });
      const during = createBundle(vaultDir, { out: file('during.gvbundle'), since: file('base.gvbundle') });
      const [, summary] = await Promise.all([sync, during]);
      assert.equal(summary.manifest.mode, 'incremental');
    } finally {
      writer.close();
      client.dispose();
    }
    // Whatever the copy caught is one committed state: it restores and passes SQLite's integrity check.
    const midway = await restoreBundle(file('during.gvbundle'), { vaultRoot: path.join(root, 'restored-during') });
    const caught = fingerprint(midway.dir).messages;
    const base = fingerprint(vaultDir).messages;
    assert.ok(caught >= base - 150 && caught <= base, `the copy holds a committed state (${caught} of ${base})`);

    const after = await cli(['bundle', 'create', guildId, '--out', file('after.gvbundle'), '--since', file('base.gvbundle'), '--json']);
    assert.equal(after.code, 0, after.stderr);
    const manifest = (JSON.parse(after.stdout) as { manifest: { pagesIncluded: number; pageCount: number; mediaIncluded: number; mediaTotal: number } }).manifest;
    assert.ok(manifest.pagesIncluded < manifest.pageCount / 2, `only changed pages (${manifest.pagesIncluded} of ${manifest.pageCount})`);
    assert.ok(manifest.mediaIncluded < manifest.mediaTotal / 10, `only new media (${manifest.mediaIncluded} of ${manifest.mediaTotal})`);
    assert.ok(fs.statSync(file('after.gvbundle')).size < fs.statSync(file('base.gvbundle')).size / 2);

    const restored = await cli(['bundle', 'restore', file('after.gvbundle'), '--vault', path.join(root, 'restored-chain')]);
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /from 2 bundles/);
    assert.deepEqual(fingerprint(path.join(root, 'restored-chain', guildId)), fingerprint(vaultDir));
  });

  it('names a missing link of the chain and writes nothing', async () => {
    const lonely = path.join(root, 'lonely');
    fs.mkdirSync(lonely);
    fs.copyFileSync(file('after.gvbundle'), path.join(lonely, 'after.gvbundle'));
    const result = await cli(['bundle', 'restore', path.join(lonely, 'after.gvbundle'), '--vault', path.join(root, 'restored-lonely')]);
    assert.equal(result.code, 4);
    assert.match(result.stderr, /incremental bundle, and the bundle it builds on \(written \d{4}-.*\) is not in/);
    assert.equal(fs.existsSync(path.join(root, 'restored-lonely', guildId)), false);
  });

  it('never restores into an existing vault, and never replaces a file without --force', async () => {
    const before = sha(path.join(vaultDir, 'vault.db'));
    const into = await cli(['bundle', 'restore', file('full.gvbundle')]);
    assert.equal(into.code, 4);
    assert.match(into.stderr, /already a vault at .*never restored into an existing vault/);
    assert.equal(sha(path.join(vaultDir, 'vault.db')), before);
    assert.deepEqual(fs.readdirSync(env.GUILD_VAULT_DIR).filter((n) => n.startsWith('.')), []);

    const again = await cli(['bundle', 'create', guildId, '--out', file('full.gvbundle')]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists[\s\S]*--force/);
    assert.equal((await cli(['bundle', 'create', guildId, '--out', file('full.gvbundle'), '--force'])).code, 0);
  });

  it('a cancelled bundle leaves no file behind, and a cancelled restore no vault', async () => {
    const controller = new AbortController();
    const job = new Job({ signal: controller.signal, onProgress: (p) => { if (p.message === 'media files') controller.abort(); } });
    const out = file('cancelled.gvbundle');
    await assert.rejects(createBundle(vaultDir, { out }, job), (error) => isGuildVaultError(error, 'CANCELLED'));
    assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((name) => name.includes('cancelled')), [], 'no bundle, no partial file');

    const restoreController = new AbortController();
    const restoreJob = new Job({ signal: restoreController.signal, onProgress: (p) => { if (p.message === 'media files') restoreController.abort(); } });
    const target = path.join(root, 'restored-cancelled');
    await assert.rejects(restoreBundle(file('full.gvbundle'), { vaultRoot: target }, restoreJob), (error) => isGuildVaultError(error, 'CANCELLED'));
    assert.deepEqual(fs.existsSync(target) ? fs.readdirSync(target) : [], [], 'no vault and no staging folder');
  });

  describe('encryption', () => {
    const pass = { GUILD_VAULT_PASSPHRASE: 'correct horse battery staple' };
    let sealed: string;
    let sealedBytes: Buffer;
    before(async () => {
      sealed = file('sealed.gvbundle');
      const created = await cli(['bundle', 'create', guildId, '--out', sealed, '--encrypt'], pass);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /, encrypted\.$/m);
      sealedBytes = fs.readFileSync(sealed);
    });

    it('restores with the passphrase; the file shows no server data in the clear', async () => {
      const restored = await cli(['bundle', 'restore', sealed, '--vault', path.join(root, 'restored-sealed')], pass);
      assert.equal(restored.code, 0, restored.stderr);
      assert.deepEqual(fingerprint(path.join(root, 'restored-sealed', guildId)), fingerprint(vaultDir));
      const guildName = emu.world.guild(guildId)!.guild.name;
      assert.equal(sealedBytes.includes(Buffer.from(guildId)), false, 'no server id in the clear');
      assert.equal(sealedBytes.includes(Buffer.from(guildName)), false, 'no server name in the clear');
      assert.equal(restored.stdout.includes(pass.GUILD_VAULT_PASSPHRASE) || restored.stderr.includes(pass.GUILD_VAULT_PASSPHRASE), false);
    });

    /** Each broken copy: exit 4, the message naming what is wrong, nothing written. */
    async function expectRefused(bytes: Buffer, passphrase: Record<string, string>, message: RegExp): Promise<void> {
      const broken = path.join(root, `broken-${Math.random().toString(36).slice(2)}.gvbundle`);
      fs.writeFileSync(broken, bytes);
      const target = path.join(root, `target-${path.basename(broken)}`);
      for (const argv of [['bundle', 'verify', broken], ['bundle', 'restore', broken, '--vault', target]]) {
        const result = await cli(argv, passphrase);
        assert.equal(result.code, 4, `${argv[1]}: ${result.stderr}`);
        assert.match(result.stderr, message);
        assert.doesNotMatch(result.stderr, /unexpected error|at .*\.ts:/);
      }
      assert.equal(fs.existsSync(path.join(target, guildId)), false, 'no vault written');
      if (fs.existsSync(target)) assert.deepEqual(fs.readdirSync(target), [], 'no staging left');
      fs.rmSync(broken);
    }

    it('tells a wrong passphrase, a flipped byte, a truncated file and a file that is not a bundle apart', async () => {
      await expectRefused(sealedBytes, { GUILD_VAULT_PASSPHRASE: 'wrong horse' }, /passphrase is wrong/);
      const headerEnd = 13 + sealedBytes.readUInt32BE(9);
      for (const at of [headerEnd + 5, headerEnd + 70_000, Math.floor((headerEnd + sealedBytes.length) / 2), sealedBytes.length - 3]) {
        const flipped = Buffer.from(sealedBytes);
        flipped[at] ^= 0x01;
        await expectRefused(flipped, pass, /damaged: encrypted chunk \d+ \(at byte \d{1,3}(,\d{3})*\) fails its authentication check/);
      }
      const far = Buffer.from(sealedBytes);
      far[headerEnd + 70_000] ^= 0x01;
      await expectRefused(far, pass, /damaged: encrypted chunk 2 \(at byte \d\d,\d{3}\)/);
      const huge = Buffer.from(sealedBytes);
      huge.writeUInt32BE(0x7fffffff, 9); // the header's length
      await expectRefused(huge, pass, /its header claims 2,147,483,647 bytes \(2 GB\), where a header is at most 64 KB\./);
      const inHeader = Buffer.from(sealedBytes);
      inHeader[headerEnd - 40] ^= 0x01; // inside the header JSON: its digest binds every chunk
      await expectRefused(inHeader, pass, /damaged|passphrase is wrong/);
      const chunk = 64 * 1024 + 16;
      await expectRefused(sealedBytes.subarray(0, headerEnd + 2 * chunk), pass, /truncated/); // cut at a chunk boundary
      await expectRefused(sealedBytes.subarray(0, sealedBytes.length - 100), pass, /truncated|damaged/);
      await expectRefused(sealedBytes.subarray(0, 20), pass, /truncated/);
      await expectRefused(Buffer.from('SQLite format 3\0 not a bundle at all'), pass, /is not a Guild Vault bundle/);
    });

    it('without a passphrase and without a terminal: exit 2 and says where the passphrase goes', async () => {
      const result = await cli(['bundle', 'verify', sealed]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /GUILD_VAULT_PASSPHRASE/);
    });

    it('an unencrypted bundle is checked too: a flipped byte or a cut is named', async () => {
      const plain = fs.readFileSync(file('full.gvbundle'));
      const headerEnd = 13 + plain.readUInt32BE(9);
      for (const at of [headerEnd + 200, Math.floor((headerEnd + plain.length) / 2)]) {
        const flipped = Buffer.from(plain);
        flipped[at] ^= 0x10;
        await expectRefused(flipped, {}, /damaged/);
      }
      await expectRefused(plain.subarray(0, Math.floor(plain.length * 0.7)), {}, /truncated|damaged/);
    });
  });

  it('encrypts snapshot exports, and imports them with the passphrase only', async () => {
    const pass = { GUILD_VAULT_PASSPHRASE: 'snapshot secret' };
    const out = file('snapshot.sealed');
    const exported = await cli(['snapshots', 'export', guildId, '1', '--out', out, '--encrypt'], pass);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(fs.readFileSync(out).includes(Buffer.from('"format"')), false, 'not JSON in the clear');
    const otherRoot = path.join(root, 'import-root');
    const wrong = await cli(['snapshots', 'import', guildId, out, '--vault', otherRoot], { GUILD_VAULT_PASSPHRASE: 'nope' });
    assert.equal(wrong.code, 4);
    assert.match(wrong.stderr, /passphrase is wrong/);
    const imported = await cli(['snapshots', 'import', guildId, out, '--vault', otherRoot], pass);
    assert.equal(imported.code, 0, imported.stderr);
    const plain = await cli(['snapshots', 'export', guildId, '1']);
    const again = await cli(['snapshots', 'export', guildId, '1', '--vault', otherRoot]);
    const strip = (text: string) => { const f = JSON.parse(text); delete f.kind; delete f.label; delete f.createdAt; return f; };
    assert.deepEqual(strip(again.stdout), strip(plain.stdout));
  });
});
