import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { APIMessage } from 'discord-api-types/v10';
import { VaultStore } from '../../../src/core/vault';
import { startEmulator, type Emulator } from '../../../src/emulator';
import { runCliInProcess } from '../../cli/runInProcess';

describe('search through the CLI, kept current by syncs', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let root: string;
  let guildId: string;
  let channelId: string;
  before(async () => {
    emu = await startEmulator({ seed: 12, size: 'small', rateLimits: false });
    guildId = emu.guildIds[0]!;
    channelId = emu.world.readableChannelIds(guildId).find((id) => emu.world.channel(id)?.channel.type === 0 && emu.world.messageCount(id) > 20)!;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-cli-search-'));
  });
  after(async () => {
    await emu.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    // The global options first: a query after "--" takes everything that follows.
    const [command, ...rest] = argv;
    return runCliInProcess([command!, '--api', emu.apiBaseUrl, '--cdn', emu.cdnBaseUrl, '--vault', root, ...rest], { DISCORD_TOKEN: emu.token }, root);
  }

  /** Posts messages into the emulator's channel as if people wrote them. */
  function post(...contents: string[]): APIMessage[] {
    const store = emu.world.messageStore(channelId)!;
    const template = store.get(store.lastMessageId()!)!;
    const posted = contents.map((content) => {
      const message = { ...template, id: emu.world.liveIds.next(), content, timestamp: new Date().toISOString(), attachments: [], embeds: [], reactions: undefined } as APIMessage;
      store.append(message);
      return message;
    });
    emu.world.channel(channelId)!.channel.last_message_id = posted[posted.length - 1]!.id;
    return posted;
  }

  it('finds what a backup archived, and the index holds every archived message', async () => {
    post('the aardvark inventory is ready', '\u001b[31mred alert\u001b[0m aardvark \u202eevil\u202c');
    assert.equal((await cli('backup', guildId, '--json')).code, 0);
    const found = await cli('search', guildId, 'aardvark');
    assert.equal(found.code, 0, found.stderr);
    assert.match(found.stdout, /the aardvark inventory is ready/);
    assert.doesNotMatch(found.stdout, /[\u001b\u202e\u202c]/, 'no terminal escapes or bidi overrides from message content');
    // On a terminal the matches are bold: the CLI's own codes, the content's still neutralised.
    const onTerminal = await runCliInProcess(['search', guildId, 'aardvark', '--vault', root], { DISCORD_TOKEN: emu.token }, root, { stdoutIsTTY: true });
    assert.equal(onTerminal.code, 0, onTerminal.stderr);
    assert.match(onTerminal.stdout, /the \u001b\[1maardvark\u001b\[22m inventory is ready/);
    assert.doesNotMatch(onTerminal.stdout, /\\u001b/, 'no escape shown as text');
    assert.doesNotMatch(onTerminal.stdout.replace(/\u001b\[(1|22)m/g, ''), /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'nothing else that acts on the terminal');
    const vault = new VaultStore(root).open(guildId, { mode: 'read' });
    try {
      const count = (sql: string) => (vault.db.prepare(sql).get() as { n: number }).n;
      const archived = count('SELECT count(*) AS n FROM messages');
      assert.ok(archived > 300);
      // Messages with no text at all (only reactions, say) have no entry.
      assert.ok(count('SELECT count(*) AS n FROM search_index') >= count("SELECT count(*) AS n FROM messages WHERE content <> ''"));
    } finally {
      vault.close();
    }
  });

  it('sees edits and deletions after a sync rechecks them', async () => {
    const [edited, deleted] = post('zeppelin schedule draft', 'zeppelin tickets for sale');
    assert.equal((await cli('sync', guildId)).code, 0);
    const before = JSON.parse((await cli('search', guildId, 'zeppelin', '--json')).stdout);
    assert.deepEqual(before.hits.map((hit: { messageId: string }) => hit.messageId), [deleted!.id, edited!.id]);

    const store = emu.world.messageStore(channelId)!;
    store.replace({ ...edited!, content: 'airship schedule final', edited_timestamp: new Date().toISOString() });
    store.delete(deleted!.id);
    assert.equal((await cli('sync', guildId)).code, 0);

    const after = JSON.parse((await cli('search', guildId, 'zeppelin', '--json')).stdout);
    assert.deepEqual(after.hits.map((hit: { messageId: string; deleted: boolean }) => [hit.messageId, hit.deleted]), [[deleted!.id, true]], 'the edit no longer says zeppelin; the deleted one is kept, marked');
    const airship = await cli('search', guildId, 'airship schedule');
    assert.match(airship.stdout, /edited/);
    assert.match(airship.stdout, /airship schedule final/);
    const text = await cli('search', guildId, 'zeppelin');
    assert.match(text.stdout, /deleted on Discord/);
  });

  it('pages with --limit and --before, and prints JSON with the next cursor', async () => {
    const first = JSON.parse((await cli('search', guildId, 'aardvark', '--limit', '1', '--json')).stdout);
    assert.equal(first.hits.length, 1);
    assert.ok(first.next);
    const second = JSON.parse((await cli('search', guildId, 'aardvark', '--limit', '1', '--before', first.next, '--json')).stdout);
    assert.equal(second.hits.length, 1);
    assert.notEqual(second.hits[0].messageId, first.hits[0].messageId);
    const text = await cli('search', guildId, 'aardvark', '--limit', '1');
    assert.match(text.stdout, new RegExp(`More: guild-vault search ${guildId} 'aardvark' --before ${first.next}`));
  });

  it('exits 1 when nothing matches, 2 for a query it cannot use, and never fails on FTS syntax', async () => {
    const none = await cli('search', guildId, 'qqqqzzzz');
    assert.equal(none.code, 1);
    assert.match(none.stdout, /No messages found/);
    const bad = await cli('search', guildId, 'has:everything');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /has:everything is not known/);
    for (const query of ['NEAR(aardvark', '"', 'aardvark OR', '{content}: x', '*', "'); DROP TABLE messages; --"]) {
      const result = await cli('search', guildId, '--', query);
      assert.ok(result.code === 0 || result.code === 1, `${query}: ${result.stderr}`);
    }
    const negated = await cli('search', guildId, '--', 'aardvark', '-inventory');
    assert.equal(negated.code, 0, negated.stderr);
    assert.doesNotMatch(negated.stdout, /inventory/);
    assert.match(negated.stdout, /red alert/);
  });

  it('says there is no vault for a server never backed up (exit 4)', async () => {
    const result = await cli('search', '123456789012345678', 'anything');
    assert.equal(result.code, 4);
    assert.match(result.stderr, /no vault/i);
  });
});
