import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countTranscriptMonths, listTranscriptMonths, MessageIngest, renderTranscript } from '../../../src/core/archive';
import { isGuildVaultError } from '../../../src/core/errors';
import { MediaPool } from '../../../src/core/media';
import { baseAlias } from '../../../src/core/privacy';
import { storeSnapshot } from '../../../src/core/snapshots/chain';
import { Vault } from '../../../src/core/vault';
import { makeState } from '../snapshots/helpers';
import { apiMessage, HOSTILE_THREAD, HOSTILE_THREAD_SHOWN } from './messageFixtures';
import { tempDir } from '../../support/tempDir';

const CHANNEL = '200000000000000001';
const BOB = { id: '300000000000000002', username: 'bob', global_name: 'Bob', avatar: null };

describe('archive transcripts', () => {
  let vault: Vault;
  before(() => {
    vault = Vault.open(tempDir('gv-transcript-'));
    vault.db.prepare("INSERT INTO archive_channels (id, type, name, raw, status, backfill_done) VALUES (?, 0, 'general', '{}', 'ok', 1)").run(CHANNEL);
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    vault.transaction(() =>
      ingest.writePage(CHANNEL, [
        apiMessage(CHANNEL, Date.UTC(2023, 11, 31, 23, 59), 1, { content: 'last of the year' }),
        apiMessage(CHANNEL, Date.UTC(2024, 0, 1, 0, 1), 2, { content: 'hi <@300000000000000002>', attachments: [{ id: '400000000000000001', filename: 'cat.png', size: 2048, url: 'http://127.0.0.1:1/a/cat.png' }] }),
        apiMessage(CHANNEL, Date.UTC(2024, 2, 5), 3, { author: BOB, content: 'march', message_reference: { type: 0, message_id: '1' } }),
        // The bot is mentioned but never writes: its name comes from the message's mentions.
        apiMessage(CHANNEL, Date.UTC(2024, 2, 6), 4, { author: BOB, content: 'thanks <@300000000000000009>', mentions: [{ id: '300000000000000009', username: 'vaultbot', global_name: 'Vault Bot', avatar: null, bot: true }] }),
      ]),
    );
  });
  after(() => vault.close());

  it('lists the months that have messages, skipping empty ones', () => {
    assert.deepEqual(listTranscriptMonths(vault, CHANNEL), ['2023-12', '2024-01', '2024-03']);
    assert.deepEqual(listTranscriptMonths(vault, '200000000000000099'), []);
  });

  it('counts the messages of each month, for the month pick', () => {
    assert.deepEqual(countTranscriptMonths(vault, CHANNEL), [
      { month: '2023-12', messages: 1 },
      { month: '2024-01', messages: 1 },
      { month: '2024-03', messages: 2 },
    ]);
  });

  it('names a mentioned user who never wrote', () => {
    assert.match(renderTranscript(vault, CHANNEL, { month: '2024-03' }), /thanks @Vault Bot/);
  });

  it('renders one month with names, attachments and mentions', () => {
    const text = renderTranscript(vault, CHANNEL, { month: '2024-01' });
    assert.match(text, /^#general - 2024-01\n/);
    assert.match(text, /\[2024-01-01 00:01\] Alice:\n  hi @Bob\n  \[attachment\] cat\.png \(2 KB\) - pending/);
    assert.doesNotMatch(text, /last of the year|march/);
  });

  it('shows privacy aliases instead of names, also in mentions', () => {
    const text = renderTranscript(vault, CHANNEL, { aliases: true });
    const alias = (id: string) => (vault.db.prepare('SELECT alias FROM user_alias WHERE user_id = ?').get(id) as { alias: string }).alias;
    assert.ok(text.includes(`] ${alias('300000000000000001')}:`));
    assert.ok(text.includes(`hi @${alias(BOB.id)}`));
    assert.equal(alias(BOB.id).replace(/\d+$/, ''), baseAlias(BOB.id), 'aliases derive from the user id');
    assert.ok(!/Alice|Bob/.test(text), 'no real name leaks');
    assert.match(text, /in reply to message 1/);
  });

  it('names what messages point at: replied-to messages, roles, channels, custom emojis and timestamps', () => {
    const thread = '200000000000000002';
    vault.db.prepare("INSERT INTO archive_channels (id, type, name, raw, status, backfill_done) VALUES (?, 0, 'planning', '{}', 'ok', 1)").run(thread);
    // The role was deleted since: its last known name still tells what the mention meant.
    storeSnapshot(vault, makeState({ role: { '500000000000000001': { id: '500000000000000001', name: 'Moderators' } } }), { kind: 'manual' });
    storeSnapshot(vault, makeState({ role: {} }), { kind: 'manual' });
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    const original = apiMessage(thread, Date.UTC(2024, 4, 1), 1, { author: BOB, content: 'Who runs the swap meet this year? Asking for the whole pottery corner of the server' });
    vault.transaction(() =>
      ingest.writePage(thread, [
        original,
        apiMessage(thread, Date.UTC(2024, 4, 2), 2, {
          content: 'ask <@&500000000000000001> in <#200000000000000001> <:kiln:600000000000000001> before <t:1717200000:R>',
          message_reference: { type: 0, message_id: original.id },
        }),
        apiMessage(thread, Date.UTC(2024, 4, 3), 3, { content: 'see <@&500000000000000009>', message_reference: { type: 0, message_id: '1234567890123456789' } }),
      ]),
    );
    const text = renderTranscript(vault, thread);
    assert.ok(text.includes(`in reply to Bob: "Who runs the swap meet this year? Asking for the whole..." (${original.id})`), text);
    assert.ok(text.includes('ask @Moderators in #general :kiln: before 2024-06-01 00:00 UTC'), text);
    assert.ok(text.includes('in reply to message 1234567890123456789 (not in the archive)'), text);
    assert.ok(text.includes('see @role 500000000000000009'), text);
  });

  it('names a mentioned thread plainly, as threads are named everywhere, and an unknown channel by its id', () => {
    const room = '200000000000000003';
    const thread = '200000000000000004';
    const insert = vault.db.prepare("INSERT INTO archive_channels (id, type, name, raw, status, backfill_done, is_thread) VALUES (?, ?, ?, '{}', 'ok', 1, ?)");
    insert.run(room, 0, 'workshop', 0);
    insert.run(thread, 11, HOSTILE_THREAD, 1);
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: 'http://127.0.0.1:1/cdn' });
    vault.transaction(() => ingest.writePage(room, [apiMessage(room, Date.UTC(2024, 6, 1), 1, { content: 'in <#200000000000000004> or <#200000000000000099> after <#200000000000000001>' })]));
    const text = renderTranscript(vault, room);
    assert.ok(text.includes(`  in ${HOSTILE_THREAD_SHOWN} or #unknown-channel (200000000000000099) after #general\n`), text);
    assert.ok(!text.includes(`#${HOSTILE_THREAD_SHOWN}`), 'no "#" before a thread');
    assert.ok(!text.includes('\u202e'), "the thread name's override does not reverse the author's words after it");
  });

  it('refuses a malformed month', () => {
    assert.throws(() => renderTranscript(vault, CHANNEL, { month: '2024-13' }), (e: unknown) => isGuildVaultError(e, 'INVALID_ARGUMENT'));
  });
});
