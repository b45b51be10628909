import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { MessageIngest } from '../../../src/core/archive';
import { snowflakeAt } from '../../../src/core/discord';
import { ArchiveChannels } from '../../../src/core/archive/archivedChannels';
import { MediaPool } from '../../../src/core/media';
import { createIndex, indexStatus, parseSearchQuery, searchMessages, type SearchResult } from '../../../src/core/search';
import { Vault } from '../../../src/core/vault';
import { MIGRATIONS } from '../../../src/core/vault/migrations';
import { apiMessage } from '../archive/messageFixtures';

const GENERAL = '200000000000000001';
const RANDOM = '200000000000000002';
const THREAD = '200000000000000003';
const T0 = Date.UTC(2024, 2, 10);
const DAY = 86_400_000;
/** A forum post's first message has the id of its thread. */
const FORUM_POST = (BigInt(snowflakeAt(T0 + 7 * DAY)) + 8n).toString();
const alice = { id: '300000000000000001', username: 'alice', global_name: 'Alice B', discriminator: '0', avatar: null };
const bob = { id: '300000000000000002', username: 'bob_the_builder', global_name: null, discriminator: '0', avatar: null };

/** A small archive: two channels, a thread of #general, a forum post; files, embeds, a pin, accents. */
function fixtures(): { channel: string; messages: APIMessage[] }[] {
  return [
    {
      channel: GENERAL,
      messages: [
        apiMessage(GENERAL, T0, 1, { author: alice, content: 'The quick brown fox jumps over the lazy dog' }),
        apiMessage(GENERAL, T0 + DAY, 2, { author: bob, content: 'A brown paper bag, see https://example.com/bag', pinned: true }),
        apiMessage(GENERAL, T0 + 2 * DAY, 3, {
          author: alice,
          content: 'holiday pictures',
          attachments: [{ id: '400000000000000001', filename: 'beach_sunset.png', size: 10, url: 'http://127.0.0.1:1/cdn/a/b/beach_sunset.png', proxy_url: 'x', content_type: 'image/png' }],
        }),
        apiMessage(GENERAL, T0 + 3 * DAY, 4, { author: bob, content: 'Crème brûlée recipe 🎉', embeds: [{ type: 'rich', title: 'Dessert Guide', description: 'caramelised sugar' }] }),
        apiMessage(GENERAL, T0 + 4 * DAY, 5, { author: bob, content: 'starting a thread', thread: { id: THREAD, name: 'Planning the picnic', type: 11 } }),
      ],
    },
    { channel: RANDOM, messages: [apiMessage(RANDOM, T0 + 5 * DAY, 6, { author: alice, content: 'brown bread is the best bread' })] },
    { channel: THREAD, messages: [apiMessage(THREAD, T0 + 6 * DAY, 7, { author: alice, content: 'bring sandwiches and brown sugar' })] },
    {
      channel: FORUM_POST,
      messages: [apiMessage(FORUM_POST, T0 + 7 * DAY, 8, { author: bob, content: 'see title' })],
    },
  ];
}

function messageNumber(message: APIMessage): number {
  return Number(BigInt(message.id) & 0xfn);
}

function recordChannels(vault: Vault): void {
  const insert = vault.db.prepare("INSERT INTO archive_channels (id, parent_id, type, name, is_thread, raw, status) VALUES (?, ?, ?, ?, ?, '{}', 'ok')");
  insert.run(GENERAL, null, 0, 'general', 0);
  insert.run(RANDOM, null, 0, 'random', 0);
  insert.run(THREAD, GENERAL, 11, 'Planning the picnic', 1);
  insert.run(FORUM_POST, '200000000000000009', 11, 'Bicycle repair questions', 1);
}

describe('full-text search', () => {
  let dir: string;
  let vault: Vault;
  let ingest: MessageIngest;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-search-'));
    vault = Vault.open(dir);
    recordChannels(vault);
    ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    for (const { channel, messages } of fixtures()) vault.transaction(() => ingest.writePage(channel, messages));
  });
  afterEach(() => {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const contents = (result: SearchResult) => result.hits.map((hit) => hit.snippet);
  /** The fixtures' numbers (1-8) of the messages a query finds, in result order. */
  const numbers = (query: string) => {
    return searchMessages(vault, query, { limit: 50 }).hits.map((hit) => messageNumber({ id: hit.messageId } as APIMessage));
  };

  /** The query behaviour every index kind must share (FTS5, FTS4 as sql.js has it, and the scan without any). */
  function behavesLikeSearch(): void {
    it('finds words anywhere in the text, newest first, and says which words matched', () => {
      const result = searchMessages(vault, 'brown');
      assert.deepEqual(numbers('brown'), [7, 6, 2, 1]);
      const fox = result.hits.find((hit) => hit.snippet.includes('fox'))!;
      assert.deepEqual(fox.highlights.map(([from, to]) => fox.snippet.slice(from, to)), ['brown']);
      assert.equal(fox.channelName, 'general');
      assert.equal(fox.authorName, 'Alice B');
      assert.equal(fox.timestamp, new Date(T0).toISOString());
    });

    it('needs every word, takes "phrases" in order, word* as a prefix, and -word to exclude', () => {
      assert.deepEqual(numbers('brown sugar'), [7]);
      assert.deepEqual(numbers('"lazy dog"'), [1]);
      assert.deepEqual(numbers('"dog lazy"'), []);
      assert.deepEqual(numbers('bre*'), [6]);
      assert.deepEqual(numbers('brown -bread -sugar'), [2, 1]);
    });

    it('indexes file names, embed titles and descriptions, and thread names', () => {
      assert.deepEqual(numbers('sunset'), [3]);
      assert.deepEqual(contents(searchMessages(vault, 'sunset')), ['beach_sunset.png']);
      assert.deepEqual(numbers('dessert guide'), [4]);
      assert.deepEqual(numbers('picnic'), [5]);
      assert.deepEqual(numbers('bicycle'), [8], 'a forum post is found by its title');
    });

    it('filters by author, channel (with its threads), attachments, links, dates and pins', () => {
      assert.deepEqual(numbers('brown from:alice'), [7, 6, 1]);
      assert.deepEqual(numbers('brown from:"Alice B"'), [7, 6, 1]);
      assert.deepEqual(numbers('from:bob'), [8, 5, 4, 2], 'a name prefix finds bob_the_builder');
      assert.deepEqual(numbers('brown in:#general'), [7, 2, 1], 'the thread of #general is in #general');
      assert.deepEqual(numbers('brown in:random'), [6]);
      assert.deepEqual(numbers('brown -in:random'), [7, 2, 1]);
      assert.deepEqual(numbers('has:image'), [3]);
      assert.deepEqual(numbers('has:file'), [3]);
      assert.deepEqual(numbers('has:link'), [2]);
      assert.deepEqual(numbers('has:embed'), [4]);
      assert.deepEqual(numbers('brown -has:link'), [7, 6, 1]);
      assert.deepEqual(numbers('brown before:2024-03-11'), [1], 'before a day excludes it');
      assert.deepEqual(numbers('brown after:2024-03-11'), [7, 6], 'after a day starts the next one');
      assert.deepEqual(numbers('during:2024-03-11'), [2]);
      assert.deepEqual(numbers('brown pinned:true'), [2]);
      assert.deepEqual(numbers('brown pinned:false'), [7, 6, 1]);
    });

    it('pages through results without repeats', () => {
      const seen: string[] = [];
      let before: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = searchMessages(vault, 'brown', { limit: 1, before });
        seen.push(...result.hits.map((hit) => hit.messageId));
        before = result.next;
        if (!before) break;
      }
      assert.deepEqual(seen, searchMessages(vault, 'brown').hits.map((hit) => hit.messageId));
      assert.equal(seen.length, 4);
    });

    it('finds emoji and punctuation the tokenizer drops by their text', () => {
      assert.deepEqual(numbers('🎉'), [4]);
    });

    it('follows edits: the old words no longer match, the new ones do', () => {
      const original = fixtures()[0]!.messages[0]!;
      vault.transaction(() => ingest.writePage(GENERAL, [{ ...original, content: 'The quick red fox', edited_timestamp: new Date(T0 + 1000).toISOString() }]));
      assert.deepEqual(numbers('lazy'), []);
      assert.deepEqual(numbers('red fox'), [1]);
      assert.equal(searchMessages(vault, 'red').hits[0]!.edited, true);
      assert.deepEqual(numbers('is:edited'), [1]);
    });

    it('keeps messages deleted on Discord findable, marked as deleted', () => {
      vault.transaction(() => ingest.markDeleted(GENERAL, '0', undefined, new Set(fixtures()[0]!.messages.slice(1).map((m) => m.id))));
      const hit = searchMessages(vault, 'lazy').hits[0]!;
      assert.equal(hit.deleted, true);
      assert.deepEqual(numbers('brown is:deleted'), [1]);
      assert.deepEqual(numbers('brown -is:deleted'), [7, 6, 2]);
    });

    it('never throws on hostile queries, and reads FTS syntax as text', () => {
      const hostile = ['NEAR(brown fox', 'brown OR', '"', '""', '*', '-', '- -', 'body:brown', '{body}: brown', '^brown', 'brown AND', 'NOT', ')(', "'; DROP TABLE messages; --",
        'in:', 'from:', 'has:everything', 'before:2024-13-45', 'pinned:maybe', 'in:"', 'from:%', 'in:_', '\\', '\u0000', 'a'.repeat(5000), 'brown"fox', 'x*y*', '-"brown"', 'NEAR("brown" "fox", 2)'];
      for (const query of hostile) {
        const result = searchMessages(vault, query);
        assert.ok(Array.isArray(result.hits), query);
      }
      assert.deepEqual(numbers('body:brown'), [], 'a column filter is two words, not a filter');
      assert.deepEqual(numbers('NEAR(brown'), [], '"near" is a word here');
      assert.deepEqual(numbers('from:%'), [], 'LIKE wildcards in names are literal');
      assert.match(searchMessages(vault, 'has:everything').problems.join(), /has:everything is not known/);
      assert.match(searchMessages(vault, 'before:2024-02-30').problems.join(), /not a date/);
      assert.match(searchMessages(vault, 'from:nobody').problems.join(), /No author .* "nobody"/);
      assert.equal(vault.db.prepare('SELECT count(*) AS n FROM messages').get()!.n, 8);
    });
  }

  describe('with FTS5', () => {
    it('uses the FTS5 index', () => assert.equal(searchMessages(vault, 'brown').engine, 'fts5'));
    behavesLikeSearch();


    it('indexes a page in its own transaction: a page rolled back leaves no entry', () => {
      assert.throws(() =>
        vault.transaction(() => {
          ingest.writePage(RANDOM, [apiMessage(RANDOM, T0 + 9 * DAY, 9, { content: 'ephemeral zebra' })]);
          throw new Error('crash before commit');
        }),
      );
      assert.deepEqual(numbers('zebra'), []);
      vault.transaction(() => ingest.writePage(RANDOM, [apiMessage(RANDOM, T0 + 9 * DAY, 9, { content: 'ephemeral zebra' })]));
      assert.deepEqual(numbers('zebra'), [9]);
    });

    it('answers has: from the index, and a typed "hasimage" or "tags:hasimage" is only text', () => {
      assert.deepEqual(numbers('has:image'), [3]);
      assert.deepEqual(numbers('hasimage'), []);
      assert.deepEqual(numbers('tags:hasimage'), []);
    });

    it('matches accents and case loosely: creme finds Crème', () => {
      assert.deepEqual(numbers('CREME brulee'), [4]);
      const hit = searchMessages(vault, 'creme').hits[0]!;
      assert.deepEqual(hit.highlights.map(([from, to]) => hit.snippet.slice(from, to)), ['Crème']);
    });

    it('finds a renamed forum post by its new title once discovery sees the new name', () => {
      const post = { id: FORUM_POST, type: 11, name: 'Unicycle tuning', parentId: '200000000000000009', position: null, isThread: true, lastMessageId: FORUM_POST, lastPinTimestamp: null, raw: {}, access: 'ok' as const };
      new ArchiveChannels(vault).discovered([post], { complete: false });
      assert.deepEqual(numbers('unicycle'), [8]);
      assert.deepEqual(numbers('bicycle'), []);
    });

    it('shows mentions by name in snippets, as transcripts do', () => {
      vault.transaction(() => ingest.writePage(RANDOM, [apiMessage(RANDOM, T0 + 9 * DAY, 9, { author: bob, content: `thanks <@${alice.id}> for the kombucha` })]));
      assert.equal(searchMessages(vault, 'kombucha').hits[0]!.snippet, 'thanks @Alice B for the kombucha');
      const alias = vault.db.prepare('SELECT alias FROM user_alias WHERE user_id = ?').get(alice.id)!.alias as string;
      assert.equal(searchMessages(vault, 'kombucha', { aliases: true }).hits[0]!.snippet, `thanks @${alias} for the kombucha`, 'no real name leaks through a mention');
    });

    it('shows authors as privacy aliases when asked', () => {
      const hit = searchMessages(vault, 'lazy', { aliases: true }).hits[0]!;
      assert.equal(hit.authorName, vault.db.prepare('SELECT alias FROM user_alias WHERE user_id = ?').get(alice.id)!.alias);
      assert.deepEqual(numbers(`lazy from:${hit.authorName}`), [1]);
    });

    it('builds the index for a vault archived before search existed (migration 5)', () => {
      vault.db.exec('DROP TABLE search_index');
      assert.equal(indexStatus(vault.db).kind, 'scan');
      vault.transaction(() => MIGRATIONS.find((migration) => migration.version === 5)!.up(vault.db));
      assert.equal(indexStatus(vault.db).kind, 'fts5');
      assert.deepEqual(numbers('brown'), [7, 6, 2, 1]);
      assert.deepEqual(numbers('sunset'), [3]);
    });

    it('rebuilds an index marked stale (written by a SQLite without FTS5) on the next write', () => {
      vault.db.prepare("INSERT INTO vault_meta (key, value) VALUES ('search_index_stale', '1')").run();
      vault.db.prepare('DELETE FROM search_index').run();
      assert.equal(indexStatus(vault.db).kind, 'scan', 'a stale index is not trusted');
      assert.deepEqual(numbers('lazy'), [1], 'the scan still answers');
      ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
      assert.equal(indexStatus(vault.db).kind, 'fts5');
      assert.deepEqual(numbers('brown'), [7, 6, 2, 1]);
    });
  });

  describe('with FTS4 (the sql.js engine has no FTS5)', () => {
    beforeEach(() => {
      vault.db.exec('DROP TABLE search_index');
      assert.equal(createIndex(vault.db, { kind: 'fts4' }), 'fts4');
      ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    });
    it('uses the FTS4 index', () => assert.equal(searchMessages(vault, 'brown').engine, 'fts4'));
    behavesLikeSearch();
  });

  describe('without any index (a scan, and a notice saying so)', () => {
    beforeEach(() => {
      vault.db.exec('DROP TABLE search_index');
      ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    });
    it('says it scans', () => {
      const result = searchMessages(vault, 'brown');
      assert.equal(result.engine, 'scan');
      assert.match(result.notice!, /scanning/);
    });
    behavesLikeSearch();
  });

  it('parses what people type', () => {
    const parsed = parseSearchQuery('from:alice in:"off topic" has:image -spoiler "exact words" pinned:true after:2024-01 plan*');
    assert.deepEqual(parsed.terms, [
      { text: 'spoiler', phrase: false, prefix: false, negated: true },
      { text: 'exact words', phrase: true, prefix: false, negated: false },
      { text: 'plan', phrase: false, prefix: true, negated: false },
    ]);
    assert.deepEqual(parsed.filters, [
      { kind: 'from', value: 'alice', negated: false },
      { kind: 'in', value: 'off topic', negated: false },
      { kind: 'has', value: 'image', negated: false },
      { kind: 'pinned', value: true },
      { kind: 'time', from: Date.UTC(2024, 1, 1) },
    ]);
    assert.deepEqual(parseSearchQuery('hello wor', { prefixLast: true }).terms.map((t) => t.prefix), [false, true]);
    assert.deepEqual(parseSearchQuery('hello wor ', { prefixLast: true }).terms.map((t) => t.prefix), [false, false]);
    assert.deepEqual(parseSearchQuery('hello w', { prefixLast: true }).terms.map((t) => t.prefix), [false, false], 'a letter or two would match most words');
    assert.deepEqual(parseSearchQuery('note:this http://x.y').terms.map((t) => t.text), ['note:this', 'http://x.y']);
  });
});
