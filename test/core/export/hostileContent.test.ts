import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageIngest } from '../../../src/core/archive';
import { exportServer } from '../../../src/core/export';
import { escapeHtml } from '../../../src/core/export/formats/html/escape';
import { MediaPool } from '../../../src/core/media';
import { Vault } from '../../../src/core/vault';
import { apiMessage, HOSTILE_THREAD, HOSTILE_THREAD_SHOWN } from '../archive/messageFixtures';
import { CHROMIUM, filesUnder, parseCsv } from './exportFixtures';

const CHANNEL = '200000000000000001';
const EVIL_CHANNEL = '200000000000000002';
const ROOM = '200000000000000003';
const THREAD = '200000000000000004';
const UNKNOWN = '200000000000000099';
/** A message mentioning a thread with a hostile name, a channel the vault never saw, and a text channel. */
const MENTIONS = `see <#${THREAD}> or <#${UNKNOWN}> then <#${EVIL_CHANNEL}>`;
const SCRIPT = '<script>window.pwned=1</script>';

/** Content a server member controls, aimed at whoever opens the export. */
function hostileMessages() {
  const at = Date.UTC(2024, 4, 1);
  const deepNesting = '**__~~||'.repeat(2000) + 'deep' + '||~~__**'.repeat(2000);
  return [
    apiMessage(CHANNEL, at, 1, { content: `${SCRIPT} <img src=x onerror="window.pwned=2"> <iframe src="javascript:alert(1)"></iframe>` }),
    apiMessage(CHANNEL, at + 1000, 2, { content: '[click me](javascript:window.pwned=3) [data](data:text/html,<script>alert(1)</script>) <javascript:alert(1)> [ok](https://example.com/"onmouseover="x)' }),
    apiMessage(CHANNEL, at + 2000, 3, { content: deepNesting }),
    apiMessage(CHANNEL, at + 3000, 4, { content: `${'a'.repeat(50_000)}*${'<b>'.repeat(16_000)}` }),
    apiMessage(CHANNEL, at + 4000, 5, { content: '```js\n</code></pre><script>window.pwned=4</script>\n```  `</code><script>x</script>` ||</span><script>y</script>||' }),
    apiMessage(CHANNEL, at + 5000, 6, {
      author: { id: '300000000000000009', username: '"><script>window.pwned=5</script>', global_name: '<img src=x onerror=alert(1)>', discriminator: '0', avatar: null },
      content: 'name test',
      attachments: [{ id: '400000000000000001', filename: '"><svg onload=alert(1)>.png', size: 10, url: 'javascript:alert(1)', content_type: 'image/png' }],
      embeds: [{ type: 'rich', title: '<script>t</script>', url: 'javascript:alert(1)', description: '[x](javascript:alert(2))', color: 0xff0000, author: { name: '<b>a</b>', url: 'javascript:alert(3)' }, image: { url: 'javascript:alert(4)' }, fields: [{ name: '<i>f</i>', value: SCRIPT }] }],
      reactions: [{ emoji: { id: null, name: '<script>r</script>' }, count: 1, count_details: { normal: 1, burst: 0 }, burst_colors: [], me: false, me_burst: false, burst_me: false, burst_count: 0 }],
    }),
  ];
}

describe('export of hostile content', function () {
  this.timeout(120_000);
  let dir: string;
  let vault: Vault;
  const out = () => path.join(dir, 'out');

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-export-hostile-'));
    vault = Vault.open(path.join(dir, 'vault'));
    const insert = vault.db.prepare("INSERT INTO archive_channels (id, type, name, raw, status, backfill_done) VALUES (?, 0, ?, '{}', 'ok', 1)");
    insert.run(CHANNEL, '../../../etc/passwd');
    insert.run(EVIL_CHANNEL, `${SCRIPT}\\..\\con`);
    insert.run(ROOM, 'workshop');
    vault.db.prepare("INSERT INTO archive_channels (id, parent_id, type, name, raw, status, backfill_done, is_thread) VALUES (?, ?, 11, ?, '{}', 'ok', 1, 1)").run(THREAD, ROOM, HOSTILE_THREAD);
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    vault.transaction(() => {
      ingest.writePage(CHANNEL, hostileMessages());
      ingest.writePage(EVIL_CHANNEL, [apiMessage(EVIL_CHANNEL, Date.UTC(2024, 4, 2), 1, { content: 'hi' })]);
      ingest.writePage(ROOM, [apiMessage(ROOM, Date.UTC(2024, 4, 3), 1, { content: MENTIONS })]);
      ingest.writePage(THREAD, [apiMessage(THREAD, Date.UTC(2024, 4, 4), 1, { content: 'in the thread' })]);
    });
    vault.db.prepare('UPDATE archive_channels SET message_count = (SELECT count(*) FROM messages WHERE channel_id = archive_channels.id)').run();
  });
  after(() => {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every file inside the export folder under a safe name, whatever the channel is called', async () => {
    for (const format of ['html', 'json', 'txt', 'csv'] as const) await exportServer(vault, { format, outDir: out() });
    const files = filesUnder(out());
    assert.ok(files.every((f) => !f.includes('..') && !f.includes('\\') && !f.includes('<') && !/^(con|prn|aux|nul)\./i.test(f)), files.join(', '));
    assert.ok(files.includes(`etc-passwd-${CHANNEL}.html`), files.join(', '));
    assert.ok(files.some((f) => f.endsWith(`-${EVIL_CHANNEL}.json`)));
    assert.equal(fs.readdirSync(dir).sort().join(','), 'out,vault', 'nothing written beside the folder');
  });

  it('escapes everything: no script, event handler or javascript: link reaches the HTML', () => {
    for (const file of fs.readdirSync(out()).filter((f) => f.endsWith('.html'))) {
      const html = fs.readFileSync(path.join(out(), file), 'utf8');
      assert.doesNotMatch(html, /<script/i, file);
      assert.doesNotMatch(html, /<(iframe|svg|img src=x)/i, file);
      assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, `${file}: an event handler attribute`);
      assert.doesNotMatch(html, /(href|src)="\s*(javascript|data:text|vbscript)/i, file);
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'none'/);
    }
    const html = fs.readFileSync(path.join(out(), `etc-passwd-${CHANNEL}.html`), 'utf8');
    assert.ok(html.includes('&lt;script&gt;window.pwned=1&lt;/script&gt;'), 'shown as text');
    assert.ok(html.includes('click me'), 'the text of a refused link stays');
    assert.ok(html.includes('<a href="https://example.com/%22onmouseover=%22x"'), 'quotes in URLs are encoded');
    assert.ok(html.includes('a'.repeat(50_000)), 'a 100k-character message is kept whole');
    assert.equal(html.match(/ id="m\d+"/g)?.length, 6, 'malformed markdown loses no message');
  });

  it('names a mentioned thread as threads are named, without "#", in every format, and an unknown channel by its id', () => {
    const file = (ext: string) => {
      const name = fs.readdirSync(out()).find((f) => f.endsWith(`-${ROOM}.${ext}`));
      assert.ok(name, `the ${ext} export of the channel`);
      return fs.readFileSync(path.join(out(), name), 'utf8');
    };
    const evil = `#${SCRIPT}\\..\\con`;
    const text = `see ${HOSTILE_THREAD_SHOWN} or #unknown-channel (${UNKNOWN}) then ${evil}`;
    assert.ok(file('txt').includes(`\n${text}\n`), file('txt'));
    assert.equal(parseCsv(file('csv'))[1]![3], text);
    const json = JSON.parse(file('json')) as { messages: { content: string }[] };
    assert.equal(json.messages[0]!.content, text);

    const html = file('html');
    const threadPage = fs.readdirSync(out()).find((f) => f.endsWith(`-${THREAD}.html`))!;
    assert.ok(html.includes(`<a class="mention" href="${threadPage}">${escapeHtml(HOSTILE_THREAD_SHOWN)}</a>`), 'the thread mention links its page, named plainly');
    assert.ok(html.includes(`<span class="mention">#unknown-channel (${UNKNOWN})</span>`));
    assert.ok(!html.includes('\u202e'), "no override reverses the author's words after the mention");
    assert.ok(!html.includes('<span class="mention">@everyone</span>'), "the thread's @everyone stays text, not a mention");
    for (const format of [file('txt'), file('csv'), file('json'), html]) assert.ok(!format.includes(`#${HOSTILE_THREAD_SHOWN}`) && !format.includes(`#${escapeHtml(HOSTILE_THREAD_SHOWN)}`), 'no "#" before the thread');
  });

  it('opens in a real browser without running anything', async function () {
    if (!fs.existsSync(CHROMIUM)) this.skip();
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`file://${path.join(out(), `etc-passwd-${CHANNEL}.html`)}`);
      await page.hover('.spoiler');
      for (const a of await page.$$('a')) await a.hover();
      assert.equal(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined);
      assert.deepEqual(dialogs, []);
      assert.equal((await page.$$('script, iframe, svg')).length, 0);
      assert.equal(await page.$$eval('.group', (groups) => groups.length), 6);
    } finally {
      await browser.close();
    }
  });
});
