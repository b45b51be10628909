import * as assert from 'node:assert/strict';
import { ChannelType } from 'discord-api-types/v10';
import {
  canConvertBetween,
  canHavePrivateThreads,
  canHaveThreads,
  channelKindName,
  channelLabel,
  holdsMessages,
  isCategory,
  isForumLike,
  isGuildChannel,
  isMessageChannel,
  isPrivateThread,
  isThread,
  isVoiceLike,
  isWrittenWithHash,
  imageExtension,
  isAnimatedHash,
  isForwardReference,
  isLottieSticker,
  isReplyReference,
  PERSON_WRITTEN_TYPES,
  referenceKind,
  stickerExtension,
} from '../../../src/core/discord';

const T = ChannelType;
/** Discord's guild channel types, with what each is (ChannelTypes in the OpenAPI description, plus media). */
const FACTS: Array<[string, number, { thread?: true; category?: true; forum?: true; voice?: true; messages?: true; parent?: true; hash?: true; creatable?: true }]> = [
  ['text', T.GuildText, { messages: true, parent: true, hash: true, creatable: true }],
  ['voice', T.GuildVoice, { voice: true, messages: true, creatable: true }],
  ['category', T.GuildCategory, { category: true, creatable: true }],
  ['announcement', T.GuildAnnouncement, { messages: true, parent: true, hash: true, creatable: true }],
  ['announcement thread', T.AnnouncementThread, { thread: true, messages: true }],
  ['public thread', T.PublicThread, { thread: true, messages: true }],
  ['private thread', T.PrivateThread, { thread: true, messages: true }],
  ['stage', T.GuildStageVoice, { voice: true, messages: true, creatable: true }],
  ['directory', T.GuildDirectory, {}],
  ['forum', T.GuildForum, { forum: true, parent: true, hash: true, creatable: true }],
  ['media', T.GuildMedia, { forum: true, parent: true, hash: true, creatable: true }],
];

describe('channel kinds: what each Discord channel type is', () => {
  for (const [name, type, is] of FACTS) {
    it(`${name} (${type})`, () => {
      assert.equal(channelKindName(type), name);
      assert.equal(isThread(type), is.thread === true, 'thread');
      assert.equal(isCategory(type), is.category === true, 'category');
      assert.equal(isForumLike(type), is.forum === true, 'forum-like');
      assert.equal(isVoiceLike(type), is.voice === true, 'voice-like');
      assert.equal(holdsMessages(type), is.messages === true, 'holds messages');
      assert.equal(isMessageChannel(type), is.messages === true && is.thread !== true, 'message channel');
      assert.equal(canHaveThreads(type), is.parent === true, 'thread parent');
      assert.equal(isWrittenWithHash(type), is.hash === true, 'written with #');
      assert.equal(isGuildChannel(type), is.creatable === true, 'creatable in a server');
      assert.equal(isPrivateThread(type), type === T.PrivateThread);
      assert.equal(canHavePrivateThreads(type), type === T.GuildText);
    });
  }

  it('a type Discord adds later is nothing: not synced, not restored, no "#"', () => {
    for (const type of [99, -1, Number.NaN, 1, 3]) {
      assert.ok(![isThread, isCategory, isForumLike, isVoiceLike, holdsMessages, isMessageChannel, canHaveThreads, isGuildChannel, isWrittenWithHash].some((is) => is(type)), String(type));
    }
    assert.equal(channelKindName(99), 'type 99');
  });

  it('changes a type only between text and announcement', () => {
    assert.ok(canConvertBetween(T.GuildText, T.GuildAnnouncement) && canConvertBetween(T.GuildAnnouncement, T.GuildText));
    assert.ok(!canConvertBetween(T.GuildText, T.GuildText), 'no change');
    assert.ok(!canConvertBetween(T.GuildText, T.GuildVoice) && !canConvertBetween(T.GuildForum, T.GuildText));
  });

  it('labels channels as Discord does: "#" for text-like channels, never for threads, categories or rooms', () => {
    assert.equal(channelLabel({ name: 'general', type: T.GuildText }), '#general');
    assert.equal(channelLabel({ name: 'help', type: T.GuildForum }), '#help');
    assert.equal(channelLabel({ name: 'Add a #3d-printing channel', type: T.PublicThread }), 'Add a #3d-printing channel', 'a thread keeps its own "#" but gets none added');
    for (const type of [T.AnnouncementThread, T.PrivateThread, T.GuildCategory, T.GuildVoice, T.GuildStageVoice, 99]) assert.equal(channelLabel({ name: 'x', type }), 'x', String(type));
  });
});

describe('message kinds and CDN formats', () => {
  it('tells a reply from a forward; Discord leaves the type out for a reply', () => {
    assert.ok(isReplyReference({}) && isReplyReference({ type: 0 }) && isReplyReference({ type: null }));
    assert.ok(!isReplyReference({ type: 1 }) && !isReplyReference(undefined) && !isReplyReference(null));
    assert.ok(isForwardReference({ type: 1 }) && !isForwardReference({}) && !isForwardReference(undefined));
    assert.equal(referenceKind({}), 0);
  });

  it('replays only messages a person wrote', () => {
    assert.deepEqual([...PERSON_WRITTEN_TYPES].sort((a, b) => a - b), [0, 19, 20, 23]);
  });

  it('names the CDN file of an image hash and of each sticker format', () => {
    assert.equal(imageExtension('a_0123456789abcdef0123456789abcdef'), 'gif');
    assert.equal(imageExtension('0123456789abcdef0123456789abcdef'), 'png');
    assert.ok(isAnimatedHash('a_1') && !isAnimatedHash('ba_1'));
    assert.deepEqual([1, 2, 3, 4, undefined, 99].map(stickerExtension), ['png', 'png', 'json', 'gif', 'png', 'png']);
    assert.ok(isLottieSticker(3) && isLottieSticker('3') && !isLottieSticker(1));
  });
});
