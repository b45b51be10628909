/**
 * Attachment and embed URLs are written by strangers (an embed points wherever
 * a link pointed; a misbehaving API can put anything in `url`). The backup
 * fetches only Discord's media hosts, over https (http only for the configured
 * local emulator), follows no redirect to another host, and records every
 * refused URL as not downloaded, with the reason.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIAttachment, APIMessage } from 'discord-api-types/v10';
import { syncArchive } from '../../../src/core/archive';
import { MediaUrlPolicy } from '../../../src/core/media/mediaUrlPolicy';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { clientFor, tempVault } from '../archive/emulatorHarness';
import * as fs from 'node:fs';

describe('media downloads come only from Discord\'s media hosts', function () {
  this.timeout(60_000);

  describe('MediaUrlPolicy', () => {
    const policy = new MediaUrlPolicy({ cdnBaseUrl: 'http://127.0.0.1:4000/cdn', mediaProxyBaseUrl: 'https://media.discordapp.net' });
    const allowed = [
      'http://127.0.0.1:4000/cdn/attachments/1/2/a.png?ex=1&is=2&hm=3',
      'https://cdn.discordapp.com/attachments/1/2/a.png',
      'https://media.discordapp.net/attachments/1/2/a.png?width=10',
      'https://images-ext-1.discordapp.net/external/abc/https/example.com/a.png',
    ];
    const refused: [string, RegExp][] = [
      ['http://127.0.0.1:4001/cdn/a.png', /127\.0\.0\.1:4001 is not one of Discord's media hosts/],
      ['http://127.0.0.1:4000/api/v10/users/@me', /is not one of Discord's media hosts/],
      ['http://cdn.discordapp.com/attachments/1/2/a.png', /plain http/],
      ['https://cdn.discordapp.com:8443/a.png', /not one of Discord's media hosts/],
      ['https://cdn.discordapp.com.evil.example/a.png', /not one of Discord's media hosts/],
      ['https://user:pw@cdn.discordapp.com/a.png', /credentials/],
      ['data:image/png;base64,AAAA', /a data: URL/],
      ['file:///etc/passwd', /a file: URL/],
      ['http://169.254.169.254/latest/meta-data/', /not one of Discord's media hosts/],
      ['not a url', /not a valid URL/],
    ];
    it('allows the configured CDN and Discord\'s media hosts', () => {
      for (const url of allowed) assert.equal(policy.problem(url), undefined, url);
    });
    it('refuses everything else, saying why', () => {
      for (const [url, reason] of refused) assert.match(policy.problem(url) ?? '(allowed)', reason, url);
    });
    it('accepts plain http under a configured base only on this machine', () => {
      const remote = new MediaUrlPolicy({ cdnBaseUrl: 'http://cdn.example.org/cdn' });
      assert.match(remote.problem('http://cdn.example.org/cdn/a.png') ?? '', /only a local emulator/);
    });
    it('follows redirects only to the same host', () => {
      assert.equal(policy.redirectProblem('https://cdn.discordapp.com/a.png', 'https://cdn.discordapp.com/b.png'), undefined);
      assert.match(policy.redirectProblem('https://cdn.discordapp.com/a.png', 'https://media.discordapp.net/b.png') ?? '', /another host/);
      assert.match(policy.redirectProblem('http://127.0.0.1:4000/cdn/a.png', 'http://127.0.0.1:4001/x') ?? '', /another host/);
    });
  });

  describe('a backup of messages with hostile URLs', () => {
    let emu: Emulator;
    let bystander: Server;
    let bystanderHits: string[];
    let bystanderUrl: string;
    before(async () => {
      emu = await startEmulator({ seed: 21, size: 'small', rateLimits: false });
      bystanderHits = [];
      bystander = createServer((req, res) => {
        bystanderHits.push(req.url ?? '');
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.end('secret from the local network');
      });
      await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
      bystanderUrl = `http://127.0.0.1:${(bystander.address() as AddressInfo).port}`;
    });
    after(async () => {
      await emu.close();
      await new Promise<void>((resolve) => bystander.close(() => resolve()));
    });

    it('records each refused URL as skipped with its reason, fetches none of them, and still stores the rest', async () => {
      const guildId = emu.guildIds[0]!;
      const channelId = emu.world.readableChannelIds(guildId).find((id) => emu.world.channel(id)?.channel.type === 0 && emu.world.messageCount(id) > 5)!;
      const store = emu.world.messageStore(channelId)!;
      const template = store.get(store.lastMessageId()!)!;
      const hostile: Record<string, { url: string; reason: RegExp }> = {};
      const attachment = (url: string, reason: RegExp): APIAttachment => {
        const id = emu.world.liveIds.next();
        hostile[id] = { url, reason };
        return { id, filename: 'x.png', size: 10, url, proxy_url: url, content_type: 'image/png' };
      };
      const movedId = emu.world.liveIds.next();
      const moved = `${emu.cdnBaseUrl}/attachments/${channelId}/${movedId}/moved.png`;
      hostile[movedId] = { url: moved, reason: /redirect to another host/ };
      const message = {
        ...template,
        id: emu.world.liveIds.next(),
        content: 'look at these',
        timestamp: new Date().toISOString(),
        reactions: undefined,
        sticker_items: undefined,
        attachments: [
          attachment(`${bystanderUrl}/secret.png`, /is not one of Discord's media hosts/),
          attachment(`${emu.url}/api/v10/users/@me`, /is not one of Discord's media hosts/),
          attachment('data:image/png;base64,iVBORw0KGgo=', /a data: URL/),
          attachment('file:///etc/passwd', /a file: URL/),
          attachment('http://cdn.discordapp.com/attachments/1/2/x.png', /plain http/),
          { id: movedId, filename: 'moved.png', size: 10, url: moved, proxy_url: moved, content_type: 'image/png' },
        ],
        embeds: [{ type: 'image', url: `${bystanderUrl}/embed.png`, image: { url: `${bystanderUrl}/embed.png`, proxy_url: `${bystanderUrl}/embed-proxy.png` } }],
      } as unknown as APIMessage;
      store.append(message);
      emu.world.channel(channelId)!.channel.last_message_id = message.id;
      // The CDN answers this one file with a redirect to the bystander.
      emu.faults.answer({ route: new RegExp(`/attachments/${channelId}/${movedId}/`), status: 302, headers: { Location: `${bystanderUrl}/redirected.png` }, times: 5 });

      const vault = tempVault('gv-hostile-urls-');
      try {
        const report = await syncArchive(vault, clientFor(emu), guildId, { recheckDays: 0 });
        assert.deepEqual(bystanderHits, [], 'nothing was fetched from the bystander');
        const rows = vault.db.prepare("SELECT owner_id AS id, status, problem FROM media_refs WHERE owner_kind = 'attachment'").all() as { id: string; status: string; problem: string | null }[];
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const [id, { url, reason }] of Object.entries(hostile)) {
          const row = byId.get(id);
          assert.equal(row?.status, 'skipped', `${url}: ${JSON.stringify(row)}`);
          assert.match(row!.problem ?? '', reason, url);
          assert.match(row!.problem ?? '', /^Not downloaded: /);
        }
        const embed = vault.db.prepare("SELECT status, problem FROM media_refs WHERE owner_kind = 'embed' AND owner_id = ?").get(`${message.id}:0`) as { status: string; problem: string };
        assert.equal(embed.status, 'skipped');
        assert.match(embed.problem, /is not one of Discord's media hosts/);
        assert.ok(report.media.stored > 0, 'the rest of the media was stored');
        assert.equal((vault.db.prepare("SELECT count(*) AS n FROM media_refs WHERE status = 'failed'").get() as { n: number }).n, 0);
      } finally {
        const dir = vault.dir;
        vault.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
