import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { MessageIngest } from '../../../src/core/archive';
import { exportServer, MANIFEST_FILE } from '../../../src/core/export';
import { Job } from '../../../src/core/job';
import { MediaPool } from '../../../src/core/media';
import type { Vault, VaultStore } from '../../../src/core/vault';
import { runCliInProcess } from '../../cli/runInProcess';
import { apiMessage } from '../archive/messageFixtures';
import { backedUpDemo, filesUnder, parseCsv } from './exportFixtures';

const run = promisify(execFile);

describe('export of the demo server', function () {
  this.timeout(120_000);
  let root: string;
  let store: VaultStore;
  let guildId: string;
  let vault: Vault;
  const out = (name: string) => path.join(root, name);
  const count = (sql: string, ...params: (string | number)[]) => (vault.db.prepare(sql).get(...params) as { n: number }).n;
  /** Channels and threads with archived messages, and how many each holds. */
  const channelCounts = () =>
    vault.db.prepare('SELECT CAST(channel_id AS TEXT) AS id, count(*) AS n FROM messages GROUP BY channel_id').all() as { id: string; n: number }[];

  before(async () => {
    ({ root, store, guildId } = await backedUpDemo());
    vault = store.open(guildId, { mode: 'write' });
  });
  after(() => {
    vault.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('HTML', () => {
    it('writes a page per channel and thread holding every message, an index, and the media beside them', async () => {
      const report = await exportServer(vault, { format: 'html', outDir: out('html') });
      const counts = channelCounts();
      assert.equal(report.messages, count('SELECT count(*) AS n FROM messages'));
      assert.equal(report.filesWritten, counts.length);
      const files = filesUnder(out('html'));
      assert.ok(files.includes('index.html'));
      const index = fs.readFileSync(out('html/index.html'), 'utf8');
      for (const { id, n } of counts) {
        const page = files.find((f) => f.endsWith(`-${id}.html`));
        assert.ok(page, `a page for ${id}`);
        assert.ok(index.includes(`href="${page}"`), `index links ${page}`);
        const html = fs.readFileSync(out(`html/${page}`), 'utf8');
        assert.equal(html.match(/ id="m\d+"/g)?.length ?? 0, n, `every message of ${page}`);
      }
      // Everything a page points at is in the folder: it works offline.
      for (const file of files.filter((f) => f.endsWith('.html'))) {
        const html = fs.readFileSync(out(`html/${file}`), 'utf8');
        for (const [, src] of html.matchAll(/ (?:src|href)="(media\/[^"]+)"/g)) {
          assert.ok(fs.existsSync(out(`html/${decodeURIComponent(src!)}`)), `${file} -> ${src}`);
        }
      }
      const mediaFiles = files.filter((f) => f.startsWith('media/'));
      const distinct = count("SELECT count(DISTINCT sha256) AS n FROM media_refs WHERE owner_kind IN ('attachment','avatar','emoji','sticker','embed') AND sha256 IS NOT NULL");
      assert.ok(mediaFiles.length <= distinct + 1, `each distinct file copied once (${mediaFiles.length} files, ${distinct} distinct)`);
      assert.equal(report.mediaCopied, mediaFiles.length);
      assert.ok(mediaFiles.every((f) => /-[0-9A-F]{5}\.[a-z0-9]+$/.test(f)), 'DCE-style media names');
    });

    it('shows what Discord shows: names in role colours, replies, embeds, reactions, stickers, threads, forum posts, deleted authors, unicode', () => {
      const general = fs.readdirSync(out('html')).find((f) => f.startsWith('general-'))!;
      const html = fs.readFileSync(out(`html/${general}`), 'utf8');
      assert.match(html, /<span class="author" style="color:#[0-9a-f]{6}"/, 'author names in role colours');
      assert.match(html, /<div class="reply">.*<span class="who"[^>]*>@/, 'replies show who they answer, with a snippet');
      assert.match(html, /<div class="embed" style="border-left-color:#[0-9a-f]{6}">/);
      assert.match(html, /<span class="reaction"><img class="emoji" src="media\//, 'custom emoji reactions as images');
      assert.match(html, /<strong>bold<\/strong> <em>italic<\/em> <u>underline<\/u> <s>strike<\/s> <code class="inline">code<\/code> <span class="spoiler" tabindex="0">spoiler<\/span>/);
      assert.match(html, /Deleted User/);
      assert.match(html, /中文消息：我们周末见！ <span class="mention role" style="color:#[0-9a-f]{6}">@Moderator<\/span>/);
      assert.match(html, /Mixed RTL: hello مرحبا world עולם 123/);
      assert.match(html, /<a class="thread-link" href="[^"]+-\d+\.html">🧵 /, 'threads linked from their parent');
      assert.match(html, /<img class="avatar" src="media\/avatar-/);
      const index = fs.readFileSync(out('html/index.html'), 'utf8');
      assert.match(index, /#ideas<\/span><ul><li><a href="[^"]+\.html">🧵 /, 'forum posts under their forum');
      const all = fs.readdirSync(out('html')).filter((f) => f.endsWith('.html')).map((f) => fs.readFileSync(out(`html/${f}`), 'utf8')).join('\n');
      assert.match(all, /<img class="sticker" src="media\//);
      assert.match(all, /📌 pinned/);
      assert.match(all, /\(edited\)/);
    });

    it('points at the vault\'s own files with --media link, and at Discord with --media none', async () => {
      await exportServer(vault, { format: 'html', outDir: out('linked'), media: 'link' });
      assert.ok(!fs.existsSync(out('linked/media')), 'nothing copied');
      const page = fs.readdirSync(out('linked')).find((f) => f.startsWith('general-'))!;
      const linked = [...fs.readFileSync(out(`linked/${page}`), 'utf8').matchAll(/ src="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(linked.length > 10);
      for (const src of linked) {
        assert.match(src, /^\.\.\/vaults\/\d+\/cas\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
        assert.ok(fs.existsSync(path.resolve(out('linked'), src)), src);
      }
      await exportServer(vault, { format: 'html', outDir: out('remote'), media: 'none' });
      const remote = [...fs.readFileSync(out(`remote/${page}`), 'utf8').matchAll(/ src="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(remote.every((src) => src.startsWith('http://127.0.0.1:')), 'Discord\'s (here the emulator\'s) URLs');
      assert.match(fs.readFileSync(out(`remote/${page}`), 'utf8'), /img-src 'self' data: file: https: http:/);
    });

    it('splits long channels by month with navigation between the months', async () => {
      const report = await exportServer(vault, { format: 'html', outDir: out('monthly'), monthlyAbove: 100 });
      const general = channelCounts().find((c) => c.n > 100)!;
      const pages = fs.readdirSync(out('monthly')).filter((f) => f.includes(`-${general.id}.`) && f.endsWith('.html')).sort();
      assert.ok(pages.length > 1, `month pages (${pages})`);
      let messages = 0;
      for (const [i, page] of pages.entries()) {
        assert.match(page, /-\d+\.\d{4}-\d{2}\.html$/);
        const html = fs.readFileSync(out(`monthly/${page}`), 'utf8');
        messages += html.match(/ id="m\d+"/g)?.length ?? 0;
        if (i > 0) assert.ok(html.includes(`<a href="${pages[i - 1]}">← older</a>`), `${page} links the month before`);
        if (i < pages.length - 1) assert.ok(html.includes(`<a href="${pages[i + 1]}">newer →</a>`));
      }
      assert.equal(messages, general.n);
      assert.ok(report.filesWritten > channelCounts().length);
    });

    it('keeps only the asked-for channels and dates', async () => {
      const general = channelCounts().sort((a, b) => b.n - a.n)[0]!;
      const ids = vault.db.prepare('SELECT CAST(id AS TEXT) AS id FROM messages WHERE channel_id = ? ORDER BY id').all(general.id) as { id: string }[];
      const middle = ids[Math.floor(ids.length / 2)]!.id;
      const since = Number((BigInt(middle) >> 22n) + 1420070400000n);
      const report = await exportServer(vault, { format: 'json', outDir: out('range'), channelIds: [general.id], since });
      const file = fs.readdirSync(out('range')).find((f) => f.endsWith(`-${general.id}.json`))!;
      const json = JSON.parse(fs.readFileSync(out(`range/${file}`), 'utf8')) as { messages: { id: string }[]; dateRange: { after: string } };
      assert.ok(json.messages.length > 0 && json.messages.length <= ids.length / 2 + 1);
      assert.ok(json.messages.every((m) => BigInt(m.id) >= BigInt(middle) - 1n));
      assert.ok(json.dateRange.after.endsWith('+00:00'));
      // The channel's threads come along; nothing else.
      const threads = count('SELECT count(*) AS n FROM archive_channels WHERE parent_id = ? AND message_count > 0', general.id);
      assert.ok(report.channels >= 1 && report.channels <= 1 + threads);
      await assert.rejects(exportServer(vault, { format: 'json', outDir: out('range'), channelIds: ['123456789012345678'] }), /not in this vault/);
    });
  });

  describe('DiscordChatExporter JSON', () => {
    it('writes a file per channel in DCE\'s shape, with local media paths', async () => {
      await exportServer(vault, { format: 'json', outDir: out('json') });
      const files = fs.readdirSync(out('json')).filter((f) => f.endsWith('.json') && f !== MANIFEST_FILE);
      assert.equal(files.length, channelCounts().length);
      for (const file of files) {
        const text = fs.readFileSync(out(`json/${file}`), 'utf8');
        assert.ok(text.slice(0, 16).includes('guild'), 'DCE-frontend finds "guild" in the first 16 bytes');
        const json = JSON.parse(text) as DceFile;
        assert.equal(json.guild.id, guildId);
        assert.equal(json.guild.name, 'Guild Vault Demo');
        assert.match(json.channel.type, /^Guild(TextChat|News|VoiceChat|StageVoice|PublicThread|PrivateThread|NewsThread)$/);
        assert.equal(json.messageCount, json.messages.length);
        assert.equal(json.messages.length, count('SELECT count(*) AS n FROM messages WHERE channel_id = ?', json.channel.id));
        for (const m of json.messages) {
          assert.equal(typeof m.id, 'string');
          assert.equal(typeof m.author.id, 'string');
          assert.match(m.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
          assert.ok(['Default', 'Reply', 'GuildMemberJoin', 'ThreadCreated', 'ChannelPinnedMessage', 'ThreadStarterMessage'].includes(m.type) || /^\d+$/.test(m.type), m.type);
          if (m.type === 'Reply') assert.ok(m.reference?.messageId);
          for (const a of m.attachments) if (a.url.startsWith('media/')) assert.ok(fs.existsSync(out(`json/${decodeURIComponent(a.url)}`)));
        }
      }
      const all = files.flatMap((f) => (JSON.parse(fs.readFileSync(out(`json/${f}`), 'utf8')) as DceFile).messages);
      assert.ok(all.some((m) => m.author.color?.match(/^#[0-9a-f]{6}$/)), 'colours as hex');
      assert.ok(all.some((m) => m.attachments.some((a) => a.url.startsWith('media/'))));
      assert.ok(all.some((m) => m.embeds.length > 0));
      assert.ok(all.some((m) => m.reactions.some((r) => r.emoji.imageUrl.startsWith('media/'))));
      assert.ok(all.some((m) => m.inlineEmojis.some((e) => e.name === 'solder' && e.imageUrl.startsWith('media/'))), 'custom emojis in the text listed');
    });

    it('is read by chat-analytics (its CLI from npm), which counts the same messages and authors', async function () {
      this.timeout(180_000);
      const cli = require.resolve('chat-analytics/dist/lib/CLI.js');
      const report = path.join(root, 'report.html');
      const { stdout } = await run(process.execPath, [cli, '-p', 'discord', '-i', `${out('json')}/*.json`, '-o', report], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
      // chat-analytics counts text messages (DCE's Default and Reply) and every author it meets.
      const messages = count('SELECT count(*) AS n FROM messages WHERE type IN (0, 19)');
      const authors = count('SELECT count(DISTINCT author_id) AS n FROM messages');
      assert.match(stdout, new RegExp(`\\[\\*\\] ${messages} messages`), stdout);
      assert.match(stdout, new RegExp(`\\[\\*\\] ${authors} authors`), stdout);
      assert.match(stdout, new RegExp(`\\[\\*\\] ${channelCounts().length} channels`), stdout);
      assert.ok(fs.statSync(report).size > 10_000);
    });
  });

  describe('text and CSV', () => {
    it('writes DCE\'s plain text', async () => {
      await exportServer(vault, { format: 'txt', outDir: out('txt') });
      const general = fs.readdirSync(out('txt')).find((f) => f.startsWith('general-'))!;
      const text = fs.readFileSync(out(`txt/${general}`), 'utf8');
      const n = count("SELECT count(*) AS n FROM messages WHERE channel_id = (SELECT id FROM archive_channels WHERE name = 'general')");
      assert.match(text, /^={62}\nGuild: Guild Vault Demo\nChannel: 💬 Community \/ general\nTopic: /);
      assert.match(text, new RegExp(`\\nExported ${n} message\\(s\\)\\n={62}\\n$`));
      assert.equal(text.match(/^\[\d{4}-\d\d-\d\d \d\d:\d\d\] /gm)?.length, n);
      assert.match(text, /\{Attachments\}\nmedia\/IMG_/);
      assert.match(text, /\{Reactions\}\n/);
    });

    it('writes one CSV row per message, safe for spreadsheets', async () => {
      const general = channelCounts().sort((a, b) => b.n - a.n)[0]!;
      // A formula in a message must not run when the file is opened.
      const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
      vault.transaction(() => ingest.writePage(general.id, [apiMessage(general.id, Date.UTC(2030, 0, 1), 1, { content: '=HYPERLINK("http://evil.example","x")' }), apiMessage(general.id, Date.UTC(2030, 0, 2), 2, { content: '+1 "quoted", and\nmultiline' })]));
      await exportServer(vault, { format: 'csv', outDir: out('csv') });
      const file = fs.readdirSync(out('csv')).find((f) => f.endsWith(`-${general.id}.csv`))!;
      const rows = parseCsv(fs.readFileSync(out(`csv/${file}`), 'utf8').replace(/^\uFEFF/, ''));
      assert.deepEqual(rows[0]!.slice(0, 6), ['AuthorID', 'Author', 'Date', 'Content', 'Attachments', 'Reactions']);
      assert.equal(rows.length - 1, general.n + 2);
      const contents = rows.map((r) => r[3]);
      assert.ok(contents.includes('\'=HYPERLINK("http://evil.example","x")'), 'formula neutralised');
      assert.ok(contents.includes('\'+1 "quoted", and\nmultiline'));
      assert.ok(rows.slice(1).every((r) => !/^[=+\-@]/.test(r[3]!) && r.length === rows[0]!.length));
    });
  });

  describe('privacy aliases', () => {
    it('show no real name in any format', async () => {
      const people = vault.db.prepare('SELECT username, global_name FROM users WHERE bot = 0').all() as { username: string; global_name: string | null }[];
      const realNames = people.flatMap((p) => [p.username, p.global_name ?? '']).filter((n) => n.length >= 4 && !/^(Deleted User)$/.test(n));
      for (const format of ['html', 'json', 'txt', 'csv'] as const) {
        const dir = out(`aliases-${format}`);
        await exportServer(vault, { format, outDir: dir, aliases: true, media: 'none' });
        const text = filesUnder(dir).filter((f) => !f.startsWith('media/')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
        for (const name of realNames) assert.ok(!text.includes(name), `${format}: "${name}" leaked`);
        const alias = (vault.db.prepare('SELECT alias FROM user_alias LIMIT 1').get() as { alias: string }).alias;
        assert.ok(text.includes(alias), `${format} shows aliases`);
        assert.ok(!/\/avatars\//.test(text), `${format}: no avatars`);
      }
    });
  });

  describe('guild-vault export', () => {
    it('exports from the command line, reading the vault only', async () => {
      const vaultDir = path.join(root, 'vaults');
      const result = await runCliInProcess(['export', guildId, '--vault', vaultDir, '--out', 'cli-txt', '--format', 'txt', '--media', 'none'], {}, root);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Exported \d+ messages from \d+ channels and threads as TXT: \d+ files written, 0 unchanged\.\nOpen: /);
      assert.equal(fs.readdirSync(out('cli-txt')).filter((f) => f.endsWith('.txt')).length, channelCounts().length);
      const json = await runCliInProcess(['export', guildId, '--vault', vaultDir, '--out', 'cli-txt', '--format', 'txt', '--media', 'none', '--json'], {}, root);
      assert.equal((JSON.parse(json.stdout) as { filesWritten: number }).filesWritten, 0, 'unchanged the second time');
    });

    it('refuses bad arguments with exit 2 and says what to give', async () => {
      const vaultDir = path.join(root, 'vaults');
      const cases: [string[], RegExp][] = [
        [['export', guildId, '--vault', vaultDir], /--out/],
        [['export', guildId, '--vault', vaultDir, '--out', 'x', '--format', 'pdf'], /html, json, txt, csv/],
        [['export', guildId, '--vault', vaultDir, '--out', 'x', '--media', 'all'], /copy, link, none/],
        [['export', guildId, '--vault', vaultDir, '--out', 'x', '--since', 'yesterday'], /2024-03-01/],
        [['export', guildId, '--vault', vaultDir, '--out', 'x', '--channels', 'general'], /channel id/],
      ];
      for (const [argv, hint] of cases) {
        const result = await runCliInProcess(argv, {}, root);
        assert.equal(result.code, 2, argv.join(' '));
        assert.match(result.stderr, hint);
      }
      const unknown = await runCliInProcess(['export', guildId, '--vault', vaultDir, '--out', 'x', '--channels', '123456789012345678'], {}, root);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /not in this vault/);
    });
  });

  describe('cancel', () => {
    it('stops at a cancel, keeps finished files, and the next export continues from there', async () => {
      const dir = out('cancelled');
      const controller = new AbortController();
      let parts = 0;
      await assert.rejects(
        exportServer(
          vault,
          { format: 'json', outDir: dir },
          new Job({
            signal: controller.signal,
            onProgress: (p) => {
              if (p.done !== undefined && p.done >= 3 && parts++ === 0) controller.abort();
            },
          }),
        ),
        (error: Error & { code?: string }) => error.code === 'CANCELLED',
      );
      const finished = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== MANIFEST_FILE);
      assert.ok(finished.length >= 3 && finished.length < channelCounts().length, `${finished.length} files before the cancel`);
      assert.ok(!fs.readdirSync(dir).some((f) => f.endsWith('.partial')), 'no half-written file is left');
      for (const f of finished) JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      const resumed = await exportServer(vault, { format: 'json', outDir: dir });
      assert.equal(resumed.filesUnchanged, finished.length);
      assert.equal(resumed.filesWritten + resumed.filesUnchanged, channelCounts().length);
    });
  });

  describe('incremental', () => {
    it('rewrites only the channels whose messages changed since the last export into the folder', async () => {
      const dir = out('incremental');
      const first = await exportServer(vault, { format: 'html', outDir: dir });
      assert.equal(first.filesUnchanged, 0);
      const before = new Map(filesUnder(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
      const again = await exportServer(vault, { format: 'html', outDir: dir });
      assert.equal(again.filesWritten, 0);
      assert.equal(again.filesUnchanged, first.filesWritten);
      assert.equal(again.mediaCopied, 0);
      const target = channelCounts().sort((a, b) => a.n - b.n)[0]!;
      const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
      vault.transaction(() => ingest.writePage(target.id, [apiMessage(target.id, Date.UTC(2031, 0, 1), 7, { content: 'a new message' })]));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const third = await exportServer(vault, { format: 'html', outDir: dir });
      assert.equal(third.filesWritten, 1);
      const changed = filesUnder(dir).filter((f) => f !== 'index.html' && f !== MANIFEST_FILE && fs.statSync(path.join(dir, f)).mtimeMs !== before.get(f));
      assert.deepEqual(changed, [fs.readdirSync(dir).find((f) => f.endsWith(`-${target.id}.html`))]);
      assert.match(fs.readFileSync(path.join(dir, changed[0]!), 'utf8'), /a new message/);
    });
  });
});

interface DceFile {
  guild: { id: string; name: string };
  channel: { id: string; type: string };
  messageCount: number;
  messages: {
    id: string;
    type: string;
    timestamp: string;
    author: { id: string; color: string | null };
    attachments: { url: string }[];
    embeds: unknown[];
    reactions: { emoji: { imageUrl: string } }[];
    inlineEmojis: { name: string; imageUrl: string }[];
    reference?: { messageId: string };
  }[];
}
