/**
 * An export names a media file "name-ABCDE.ext" (five hex digits of its hash, as
 * DiscordChatExporter does). Thousands of pasted screenshots are all called
 * "image.png", and five hex digits repeat among about 1,200 files: two different
 * pictures of the same size then want the same name. Each page must still show
 * its own picture, in one export and in the next one into the same folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { MessageIngest } from '../../../src/core/archive';
import { exportServer } from '../../../src/core/export';
import { MediaPool } from '../../../src/core/media';
import { Vault } from '../../../src/core/vault';
import { tempDir } from '../../support/tempDir';
import { apiMessage } from '../archive/messageFixtures';

const CHANNEL = '200000000000000001';
/** Same length, and SHA-256 digests that both start with 80de6. */
const FIRST = Buffer.from('picture-bytes-00000410');
const SECOND = Buffer.from('picture-bytes-00001199');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('export media names that collide', function () {
  this.timeout(60_000);
  let dir: string;
  let vault: Vault;
  const out = () => path.join(dir, 'out');

  before(async () => {
    assert.equal(sha(FIRST).slice(0, 5), sha(SECOND).slice(0, 5));
    dir = tempDir('gv-export-media-names-');
    vault = Vault.open(path.join(dir, 'vault'));
    vault.db.prepare("INSERT INTO archive_channels (id, type, name, raw, status, backfill_done) VALUES (?, 0, 'screens', '{}', 'ok', 1)").run(CHANNEL);
    const pool = new MediaPool(vault);
    const ingest = new MessageIngest(vault, pool, { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    const at = Date.UTC(2024, 4, 1);
    const attachment = (id: string) => ({ id, filename: 'image.png', size: FIRST.length, url: `http://127.0.0.1:1/cdn/attachments/${CHANNEL}/${id}/image.png`, content_type: 'image/png' });
    vault.transaction(() => {
      ingest.writePage(CHANNEL, [
        apiMessage(CHANNEL, at, 1, { content: 'first screenshot', attachments: [attachment('400000000000000001')] }),
        apiMessage(CHANNEL, at + 1000, 2, { content: 'second screenshot', attachments: [attachment('400000000000000002')] }),
      ]);
    });
    vault.db.prepare('UPDATE archive_channels SET message_count = 2').run();
    for (const [id, bytes] of [['400000000000000001', FIRST], ['400000000000000002', SECOND]] as const) {
      const stored = await pool.put(bytes);
      pool.markStored({ ownerKind: 'attachment', ownerId: id, slot: 'file', sourceUrl: attachment(id).url }, stored);
    }
  });
  after(() => {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The bytes each message's page links to, by the message's text. */
  function linkedBytes(): Record<string, string> {
    const page = fs.readdirSync(out()).find((f) => f.endsWith('.html') && f !== 'index.html')!;
    const html = fs.readFileSync(path.join(out(), page), 'utf8');
    const result: Record<string, string> = {};
    for (const text of ['first screenshot', 'second screenshot']) {
      const after = html.slice(html.indexOf(text));
      const href = /(?:href|src)="(media\/[^"]+)"/.exec(after)![1]!;
      result[text] = fs.readFileSync(path.join(out(), decodeURIComponent(href)), 'utf8');
    }
    return result;
  }

  it('links each message to its own file when two files want one name', async () => {
    await exportServer(vault, { format: 'html', outDir: out(), media: 'copy' });
    assert.deepEqual(linkedBytes(), { 'first screenshot': FIRST.toString(), 'second screenshot': SECOND.toString() });
  });

  it('keeps them right in the next export into the same folder, and never trusts a file it did not write', async () => {
    const again = await exportServer(vault, { format: 'html', outDir: out(), media: 'copy', full: true });
    assert.equal(again.mediaCopied, 0, 'files the last export placed are trusted without copying again');
    assert.deepEqual(linkedBytes(), { 'first screenshot': FIRST.toString(), 'second screenshot': SECOND.toString() });
    // Someone else's file of the same size under the short name (an older export, a copy by hand).
    const shortName = fs.readdirSync(path.join(out(), 'media')).find((f) => /^image-[0-9A-F]{5}\.png$/.test(f))!;
    fs.writeFileSync(path.join(out(), 'media', shortName), 'x'.repeat(FIRST.length));
    await exportServer(vault, { format: 'html', outDir: out(), media: 'copy', full: true });
    assert.deepEqual(linkedBytes(), { 'first screenshot': FIRST.toString(), 'second screenshot': SECOND.toString() });
  });
});
