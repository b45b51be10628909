import * as assert from 'node:assert/strict';
import { rewriteContent, webhookUsername } from '../../../src/core/migrate';
import type { RewriteContext } from '../../../src/core/migrate/contentRewrite';

const SOURCE = '111111111111111111';
const TARGET = '999999999999999999';
const ctx: RewriteContext = {
  sourceGuildId: SOURCE,
  targetGuildId: TARGET,
  userName: (id) => (id === '222222222222222222' ? 'Alice' : 'unknown-user'),
  roleTarget: (id) => (id === '333333333333333333' ? '933333333333333333' : undefined),
  roleName: (id) => (id === '344444444444444444' ? 'Old Role' : undefined),
  channelTarget: (id) => (id === '555555555555555555' ? '955555555555555555' : undefined),
  channel: (id) => (id === '566666666666666666' ? { name: 'gone-channel', type: 0 } : id === '577777777777777777' ? { name: 'Kiln \u202efdp.exe @everyone', type: 11 } : undefined),
  emojiTarget: (id) => (id === '777777777777777777' ? '977777777777777777' : undefined),
  messageTarget: (id) => (id === '888888888888888888' ? '988888888888888888' : undefined),
};

describe('migrate: message text for the target server', () => {
  it('maps roles, channels, emojis and links it can, names the rest, and never leaves a ping', () => {
    const text =
      'hey <@222222222222222222> and <@!222222222222222222>, <@&333333333333333333> <@&344444444444444444> in <#555555555555555555> or <#566666666666666666> ' +
      '<:party:777777777777777777> <a:gone:788888888888888888> @everyone @here ' +
      `https://discord.com/channels/${SOURCE}/555555555555555555/888888888888888888 https://ptb.discord.com/channels/${SOURCE}/555555555555555555 ` +
      `https://discord.com/channels/${SOURCE}/555555555555555555/800000000000000000 https://discord.com/channels/123456789012345678/1/2`;
    assert.equal(
      rewriteContent(text, ctx),
      'hey @Alice and @Alice, <@&933333333333333333> @Old Role in <#955555555555555555> or #gone-channel ' +
        '<:party:977777777777777777> :gone: @\u200beveryone @\u200bhere ' +
        `https://discord.com/channels/${TARGET}/955555555555555555/988888888888888888 https://discord.com/channels/${TARGET}/955555555555555555 ` +
        `https://discord.com/channels/${SOURCE}/555555555555555555/800000000000000000 https://discord.com/channels/123456789012345678/1/2`,
    );
    assert.doesNotMatch(rewriteContent(text, ctx), /<@!?\d/, 'no user mention left');
  });

  it('names a thread it did not migrate as threads are named, without "#", and a channel it never saw by id', () => {
    // The thread's name is a member's: its override is dropped and its @everyone defused like the author's own.
    assert.equal(
      rewriteContent('see <#577777777777777777> and <#588888888888888888> today', ctx),
      'see Kiln fdp.exe @\u200beveryone and #unknown-channel (588888888888888888) today',
    );
  });

  it('makes any display name a name Discord accepts for a webhook post', () => {
    assert.equal(webhookUsername('Discord Mod'), 'Dis\u200bcord Mod');
    assert.equal(webhookUsername('clyde'), 'cly\u200bde');
    assert.equal(webhookUsername('@everyone'), '＠everyone');
    assert.equal(webhookUsername('here'), 'here\u200b');
    assert.equal(webhookUsername('a#b:c```d'), "a＃b：c'''d");
    assert.equal(webhookUsername('  \n\t '), 'Unknown user');
    assert.equal([...webhookUsername('🦊'.repeat(100))].length, 80);
    for (const hostile of ['discordDISCORDclyde', 'x'.repeat(200), '\u0000\u001b[31m']) assert.doesNotMatch(webhookUsername(hostile), /discord|clyde|[\u0000-\u001f]/i);
  });
});
