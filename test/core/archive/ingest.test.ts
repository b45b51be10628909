import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { MessageIngest } from '../../../src/core/archive';
import { MediaPool } from '../../../src/core/media';
import { Vault } from '../../../src/core/vault';
import { apiMessage } from './messageFixtures';
import { tempDir } from '../../support/tempDir';

const CHANNEL = '200000000000000001';
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 10);

describe('archive ingest', () => {
  let vault: Vault;
  let ingest: MessageIngest;
  beforeEach(() => {
    vault = Vault.open(tempDir('gv-ingest-'));
    ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
  });
  afterEach(() => vault.close());

  const write = (messages: ReturnType<typeof apiMessage>[]) => vault.transaction(() => ingest.writePage(CHANNEL, messages));
  const one = (sql: string, ...params: (string | number)[]) => vault.db.prepare(sql).get(...params) as any;

  it('stores normalized rows and the full API object, including fields it does not know', () => {
    const message = apiMessage(CHANNEL, T0, 1, {
      content: 'look',
      some_future_field: { nested: [1, 2] },
      message_reference: { type: 0, message_id: '123456789012345678', channel_id: CHANNEL },
      attachments: [{ id: '400000000000000001', filename: 'cat.png', size: 1234, url: 'http://127.0.0.1:1/cdn/attachments/1/2/cat.png?ex=1&is=2&hm=3', proxy_url: 'x', content_type: 'image/png' }],
      embeds: [{ type: 'image', url: 'https://example.com', thumbnail: { url: 'https://example.com/t.png', proxy_url: 'http://127.0.0.1:1/proxy/t.png' } }],
      reactions: [{ emoji: { id: '500000000000000001', name: 'party' }, count: 3, count_details: { normal: 2, burst: 1 }, me: false, me_burst: false, burst_colors: [] }],
      sticker_items: [{ id: '600000000000000001', name: 'wave', format_type: 1 }],
      poll: { question: { text: 'Pizza?' }, answers: [{ answer_id: 1, poll_media: { text: 'yes' } }, { answer_id: 2, poll_media: { text: 'no' } }], allow_multiselect: false, expiry: null, layout_type: 1, results: { is_finalized: true, answer_counts: [{ id: 1, count: 5, me_voted: false }] } },
    });
    const counts = write([message]);
    assert.deepEqual(counts, { inserted: 1, changed: 0, contentMissing: 0, mediaRefs: 5 });
    const row = one('SELECT content, reference_type, CAST(reference_message_id AS TEXT) AS ref, raw FROM messages WHERE id = ?', message.id);
    assert.equal(row.content, 'look');
    assert.equal(row.ref, '123456789012345678');
    assert.deepEqual(JSON.parse(row.raw).some_future_field, { nested: [1, 2] });
    assert.equal(one('SELECT url FROM attachments').url, 'http://127.0.0.1:1/cdn/attachments/1/2/cat.png');
    assert.deepEqual({ ...one('SELECT count, count_normal, count_burst, emoji FROM reactions') }, { count: 3, count_normal: 2, count_burst: 1, emoji: 'party:500000000000000001' });
    assert.equal(one("SELECT votes FROM poll_answers WHERE answer_id = 1").votes, 5);
    const refs = vault.db.prepare('SELECT owner_kind, slot, source_url FROM media_refs ORDER BY owner_kind').all() as any[];
    assert.deepEqual(refs.map((r) => `${r.owner_kind}/${r.slot}`), ['attachment/file', 'avatar/av1', 'embed/thumbnail', 'emoji/image', 'sticker/image']);
    assert.ok(refs.find((r) => r.owner_kind === 'attachment').source_url.includes('hm=3'), 'the signed URL is kept for the download');
    assert.equal(refs.find((r) => r.owner_kind === 'embed').source_url, 'http://127.0.0.1:1/proxy/t.png');
  });

  it('stores each author once and keeps every avatar they had', () => {
    write([apiMessage(CHANNEL, T0, 1), apiMessage(CHANNEL, T0, 2)]);
    write([apiMessage(CHANNEL, T0 + DAY, 3, { author: { id: '300000000000000001', username: 'alice', global_name: 'Alice B', avatar: 'av2' } })]);
    assert.equal(one('SELECT count(*) AS n FROM users').n, 1);
    assert.equal(one('SELECT global_name FROM users').global_name, 'Alice B');
    assert.deepEqual((vault.db.prepare('SELECT avatar FROM user_avatars ORDER BY avatar').all() as any[]).map((r) => r.avatar), ['av1', 'av2']);
    assert.equal(one("SELECT count(*) AS n FROM media_refs WHERE owner_kind = 'avatar'").n, 2);
    assert.match(one('SELECT alias FROM user_alias').alias, /^[A-Z][a-z]+[A-Z][a-z]+$/);
  });

  it('ignores a page seen twice, and keeps the earlier version of what changed', () => {
    const original = apiMessage(CHANNEL, T0, 1, { reactions: [{ emoji: { id: null, name: '👍' }, count: 1, me: false }] });
    write([original]);
    assert.deepEqual(write([original]), { inserted: 0, changed: 0, contentMissing: 0, mediaRefs: 0 });
    write([{ ...original, content: 'fixed typo', edited_timestamp: new Date(T0 + 1000).toISOString() }]);
    write([{ ...original, content: 'fixed typo', edited_timestamp: new Date(T0 + 1000).toISOString(), reactions: [{ emoji: { id: null, name: '👍' }, count: 4, me: false }] } as any]);
    assert.equal(one('SELECT count(*) AS n FROM messages').n, 1);
    const versions = vault.db.prepare('SELECT reason, raw FROM message_versions ORDER BY rowid').all() as any[];
    assert.deepEqual(versions.map((v) => v.reason), ['edited', 'reactions']);
    assert.equal(JSON.parse(versions[0].raw).content, 'message 1');
    assert.equal(one('SELECT content FROM messages').content, 'fixed typo');
    assert.equal(one('SELECT count FROM reactions').count, 4);
  });

  it('does not take a fresh attachment signature for an edit', () => {
    const signed = (ex: string) => apiMessage(CHANNEL, T0, 1, { attachments: [{ id: '400000000000000002', filename: 'a.png', size: 10, url: `http://127.0.0.1:1/cdn/attachments/1/2/a.png?ex=${ex}&is=65f0&hm=abc${ex}&`, proxy_url: `http://127.0.0.1:1/media/a.png?ex=${ex}&is=65f0&hm=abc${ex}&width=5` }] });
    write([signed('6600')]);
    assert.equal(write([signed('6700')]).changed, 0);
    const raw = JSON.parse(one('SELECT raw FROM messages').raw);
    assert.equal(raw.attachments[0].url, 'http://127.0.0.1:1/cdn/attachments/1/2/a.png');
    assert.equal(raw.attachments[0].proxy_url, 'http://127.0.0.1:1/media/a.png?width=5');
  });

  it('marks messages Discord no longer returns as deleted, and keeps them', () => {
    const page = [1, 2, 3, 4].map((n) => apiMessage(CHANNEL, T0, n));
    write(page);
    const deleted = vault.transaction(() => ingest.markDeleted(CHANNEL, '0', page[2]!.id, new Set([page[0]!.id, page[2]!.id])));
    assert.equal(deleted, 1);
    assert.equal(one('SELECT CAST(id AS TEXT) AS id FROM messages WHERE deleted_at IS NOT NULL').id, page[1]!.id);
    assert.equal(one('SELECT count(*) AS n FROM messages').n, 4);
  });

  it('flags user messages whose content Discord withheld (Message Content intent off)', () => {
    const counts = write([
      apiMessage(CHANNEL, T0, 1, { content: '' }),
      apiMessage(CHANNEL, T0, 2, { content: '', author: { id: '300000000000000009', username: 'bot', bot: true, avatar: null } }),
      apiMessage(CHANNEL, T0, 3, { content: '', sticker_items: [{ id: '600000000000000001', name: 'wave', format_type: 1 }] }),
      apiMessage(CHANNEL, T0, 4, { content: '', type: 7 }),
    ]);
    assert.equal(counts.contentMissing, 1);
    assert.equal(one('SELECT count(*) AS n FROM messages WHERE content_missing = 1').n, 1);
  });
});
