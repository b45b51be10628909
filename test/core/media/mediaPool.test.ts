import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { MediaPool, MediaSizeCapExceeded, stripSignature } from '../../../src/core/media';
import { Vault } from '../../../src/core/vault';
import { tempDir } from '../../support/tempDir';

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('media pool', () => {
  let vault: Vault;
  let pool: MediaPool;
  beforeEach(() => {
    vault = Vault.open(tempDir('gv-media-'));
    pool = new MediaPool(vault);
  });
  afterEach(() => vault.close());

  it('stores a stream under cas/ab/cd/<sha256> and hashes it while streaming', async () => {
    const chunks = [Buffer.from('hello '), Buffer.from('world')];
    const stored = await pool.put(Readable.from(chunks), { contentType: 'text/plain', sourceUrl: 'https://cdn.example/a.txt?ex=1&is=2&hm=3' });
    const expected = sha(Buffer.concat(chunks));
    assert.equal(stored.sha256, expected);
    assert.equal(stored.size, 11);
    assert.equal(stored.existed, false);
    const file = path.join(vault.casDir, expected.slice(0, 2), expected.slice(2, 4), expected);
    assert.equal(fs.readFileSync(file, 'utf8'), 'hello world');
    const row = vault.db.prepare('SELECT size, content_type, source_url FROM media WHERE sha256 = ?').get(expected) as any;
    assert.deepEqual({ ...row }, { size: 11, content_type: 'text/plain', source_url: 'https://cdn.example/a.txt' });
    assert.deepEqual(fs.readdirSync(path.join(vault.casDir, 'tmp')), []);
  });

  it('stores identical content once, whatever the number of puts', async () => {
    const bytes = Buffer.from('the same meme');
    const first = await pool.put(bytes, { sourceUrl: 'https://cdn.example/1.png' });
    const second = await pool.put(Readable.from([bytes]), { sourceUrl: 'https://cdn.example/2.png' });
    assert.equal(first.sha256, second.sha256);
    assert.equal(second.existed, true);
    assert.equal(pool.stats().files, 1);
    const dir = path.dirname(pool.pathFor(first.sha256));
    assert.deepEqual(fs.readdirSync(dir), [first.sha256]);
  });

  it('stops at the size cap and keeps nothing', async () => {
    const big = Buffer.alloc(64 * 1024, 7);
    await assert.rejects(pool.put(Readable.from([big.subarray(0, 32 * 1024), big.subarray(32 * 1024)]), { maxBytes: 40 * 1024 }), MediaSizeCapExceeded);
    assert.equal(pool.stats().files, 0);
    assert.deepEqual(fs.readdirSync(path.join(vault.casDir, 'tmp')), []);
  });

  it('verify reports missing and corrupt files', async () => {
    const good = await pool.put(Buffer.from('good'));
    const gone = await pool.put(Buffer.from('gone'));
    const bad = await pool.put(Buffer.from('bad!'));
    fs.rmSync(pool.pathFor(gone.sha256));
    fs.writeFileSync(pool.pathFor(bad.sha256), 'bad?');
    const report = await pool.verify();
    assert.equal(report.checked, 3);
    assert.equal(report.ok, 1);
    assert.deepEqual(report.missing, [gone.sha256]);
    assert.deepEqual(report.corrupt, [bad.sha256]);
    assert.ok(pool.has(good.sha256));
  });

  it('garbage collection removes files nothing references, and stray files', async () => {
    const kept = await pool.put(Buffer.from('kept'));
    const dropped = await pool.put(Buffer.from('dropped'));
    pool.markStored({ ownerKind: 'attachment', ownerId: '1', slot: 'file', sourceUrl: 'https://cdn.example/k' }, kept);
    const strayDir = path.join(vault.casDir, 'ee', 'ee');
    fs.mkdirSync(strayDir, { recursive: true });
    fs.writeFileSync(path.join(strayDir, 'e'.repeat(64)), 'stray');
    const report = pool.collectGarbage();
    assert.equal(report.removedFiles, 1);
    assert.equal(report.removedBytes, 7);
    assert.equal(report.strayFiles, 1);
    assert.ok(pool.has(kept.sha256));
    assert.ok(!fs.existsSync(pool.pathFor(dropped.sha256)));
    assert.equal(pool.stats().files, 1);
  });

  it('records references: pending, then stored or skipped', async () => {
    const ref = { ownerKind: 'avatar', ownerId: '42', slot: 'abc', sourceUrl: 'https://cdn.example/avatars/42/abc.png' };
    assert.equal(pool.addReference(ref), true);
    assert.equal(pool.addReference(ref), false);
    assert.equal(pool.pendingReferences(10).length, 1);
    pool.markSkipped(ref, 'over the size cap', 10);
    assert.equal(pool.referenceState(ref)?.status, 'skipped');
    assert.equal(pool.pendingReferences(10).length, 0);
  });

  it('strips only the signature from source URLs', () => {
    assert.equal(stripSignature('https://cdn.discordapp.com/attachments/1/2/a.png?ex=65&is=66&hm=ab&size=4'), 'https://cdn.discordapp.com/attachments/1/2/a.png?size=4');
    assert.equal(stripSignature('https://cdn.discordapp.com/attachments/1/2/a.png?ex=65&is=66&hm=ab'), 'https://cdn.discordapp.com/attachments/1/2/a.png');
  });

  it('strips signatures the same way whether a URL takes the quick path or is parsed', () => {
    // The oracle: what parsing the URL and deleting the three parameters gives.
    const parsed = (url: string) => {
      const u = new URL(url);
      for (const name of ['ex', 'is', 'hm']) u.searchParams.delete(name);
      return u.search ? u.toString() : u.toString().replace(/\?$/, '');
    };
    const signature = '?ex=6a1b2c3d&is=6a19dabd&hm=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0&';
    const bases = [
      'https://cdn.discordapp.com/attachments/1234567890123456789/2234567890123456789/photo.png',
      'http://127.0.0.1:41234/cdn/attachments/1/2/report.final.v2.pdf',
      'https://media.discordapp.net/attachments/1/2/a%20b%C3%A9.png',
      'https://CDN.DiscordApp.com/attachments/1/2/a.png', // upper-case host: URL lowers it
      'https://cdn.discordapp.com:443/attachments/1/2/a.png', // default port: URL drops it
      'http://cdn.example:80/a.png',
      'http://cdn.example:80',
      'https://cdn.example', // no path: URL adds '/'
      'https://cdn.example:8443',
      'https://cdn.example:443',
      'https://cdn.discordapp.com/attachments/1/../2/./a.png', // dot segments: URL resolves them
      'https://cdn.discordapp.com/attachments/1/2/a b.png', // a space: URL encodes it
      'https://cdn.discordapp.com/attachments/1/%2e%2E/a.png', // an encoded dot segment: URL resolves it too
      'https://cdn.discordapp.com/attachments/1/2/a%2epng',
      'https://cdn.discordapp.com/attachments/1/%2E%2E/a.png',
      'https://cdn.discordapp.com/attachments/1/2/\u00e9\u202e.png',
      'https://cdn.discordapp.com/attachments/1/2/',
      'https://xn--bcher-kva.example/a.png',
    ];
    for (const base of bases) {
      for (const url of [base + signature, base + signature.slice(0, -1), base + signature + 'size=4', base + '?hm=ab&ex=1&is=2']) {
        assert.equal(stripSignature(url), parsed(url), url);
      }
    }
  });
});
