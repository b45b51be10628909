/**
 * File names made from channel and attachment names: whatever a member calls
 * them, each is one path segment that every file system accepts. Checked by
 * creating the files on this disk, not only by their length.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleFileName, channelFileName, mediaFileName } from '../../../src/core/export';
import { tempDir } from '../../support/tempDir';

const SHA = 'ab'.repeat(32);
const CHANNEL_ID = '12345678901234567890';
/** Letters of the astral planes (the "fancy fonts" servers love): 4 bytes each in UTF-8. */
const FANCY = '𝓰𝓮𝓷𝓮𝓻𝓪𝓵'.repeat(15);
const ZALGO = `g${'\u0301\u0316\u0324'.repeat(40)}eneral`;
const CJK_EXT_B = '𠀀𠀁𠀂'.repeat(40);

describe('export file names from hostile names', () => {
  const dir = tempDir('gv-file-names-');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stay under 255 bytes of UTF-8 (and 255 UTF-16 units), and the disk accepts them', () => {
    const names = [FANCY, ZALGO, CJK_EXT_B].flatMap((name) => [
      channelFileName(name, CHANNEL_ID, 'html', '2025-05'),
      channelFileName(name, CHANNEL_ID, 'json'),
      mediaFileName(`${name}.png`, SHA),
      // The name an export falls back to when another file took the short one.
      mediaFileName(`${name}.png`, SHA).replace(/-[0-9A-F]{5}\./, `-${SHA.toUpperCase()}.`),
    ]);
    for (const name of names) {
      assert.ok(Buffer.byteLength(name, 'utf8') <= 255, `${Buffer.byteLength(name, 'utf8')} bytes: ${name}`);
      assert.ok(name.length <= 255, `${name.length} UTF-16 units: ${name}`);
      assert.doesNotMatch(name, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, `no split character: ${name}`);
      fs.writeFileSync(path.join(dir, name), 'x');
    }
    assert.equal(fs.readdirSync(dir).length, new Set(names).size);
  });

  it('suggest a bundle file name that is one visible, whole segment, whatever the server is called', () => {
    const day = new Date('2026-11-30T12:00:00Z');
    assert.equal(bundleFileName('My Server', day), 'My-Server-2026-11-30.gvbundle');
    for (const name of ['...', '../../etc', 'a/b\\c', `x${FANCY}`, 'CON', '\u202eevil', '']) {
      const file = bundleFileName(name, day);
      assert.doesNotMatch(file, /^\.|[/\\]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u202a-\u202e]/, `${JSON.stringify(name)} -> ${file}`);
      assert.ok(Buffer.byteLength(file) <= 255);
      assert.match(file, /-2026-11-30\.gvbundle$/);
    }
  });

  it('keep a readable start of a long name', () => {
    assert.ok(channelFileName(FANCY, CHANNEL_ID, 'html').startsWith('𝓰𝓮𝓷𝓮𝓻𝓪𝓵'));
    assert.match(channelFileName(FANCY, CHANNEL_ID, 'html'), new RegExp(`-${CHANNEL_ID}\\.html$`));
    assert.match(mediaFileName(`${CJK_EXT_B}.png`, SHA), /^𠀀𠀁𠀂.*-ABABA\.png$/u);
  });
});
