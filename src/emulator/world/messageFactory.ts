/**
 * Generated messages: message i of a channel is a pure function of (seed, channel, i).
 * The mix covers what a backup must keep: replies, forwards, edits, pins, user/role/
 * channel/@everyone mentions, embeds, attachments (some byte-identical to earlier
 * ones), unicode and custom reactions, stickers, polls, join messages, thread starts,
 * webhook and bot authors, deleted users, and unicode of every kind.
 *
 * Messages are stored without per-request details: attachment URLs are signed and
 * privileged-intent fields are blanked when a route presents them (see routes/present.ts).
 */
import type { APIAttachment, APIEmbed, APIMessage, APIUser } from 'discord-api-types/v10';
import { MessageFlags, MessageType } from 'discord-api-types/v10';
import { fileSize, contentTypeOf, type FileSpec } from '../cdn/files';
import type { ChannelRecord, GuildState, UserRecord } from './model';
import type { MessageStore } from './messageStore';
import { Rng } from './random';
import { UNICODE_EMOJI, UNICODE_LINES, WORDS } from './vocabulary';
import type { World } from './world';

export { PIN_WINDOW } from './messageStore';

export type ChannelFlavor = 'text' | 'announcement' | 'gallery' | 'log';

export interface MessageContext {
  world: World;
  guild: GuildState;
  channel: ChannelRecord;
  flavor: ChannelFlavor;
  authors: UserRecord[];
  botAuthors: UserRecord[];
  webhookAuthors: UserRecord[];
  formerUsers: UserRecord[];
  /** Forum and media posts: who wrote the starter message (message 0). */
  starterAuthorId?: string;
}

/** Files shared by many messages: the same bytes posted again and again (dedup). */
const SHARED_FILES: Array<{ name: string; spec: FileSpec }> = [
  { name: 'server-rules.txt', spec: { key: 'shared:rules', kind: 'text', bytes: 1800 } },
  { name: 'meme.png', spec: { key: 'shared:meme', kind: 'png', width: 96, height: 64 } },
  { name: 'logo.png', spec: { key: 'shared:logo', kind: 'png', width: 64, height: 64 } },
  { name: 'firmware-v1.2.bin', spec: { key: 'shared:firmware', kind: 'binary', bytes: 48_000 } },
  { name: 'reaction.png', spec: { key: 'shared:reaction', kind: 'png', width: 48, height: 48 } },
];

interface AttachmentPlan {
  filename: string;
  spec: FileSpec;
  description?: string;
}

/** The attachments of message i (also used by the CDN to serve their bytes). */
export function attachmentPlan(store: MessageStore, index: number, flavor: ChannelFlavor): AttachmentPlan[] {
  const rng = new Rng(store.seedKey, index, 'attachments');
  const rate = flavor === 'gallery' ? 0.45 : flavor === 'log' ? 0.01 : 0.07;
  if (!rng.chance(rate)) return [];
  const count = rng.chance(0.8) ? 1 : rng.int(2, 3);
  const out: AttachmentPlan[] = [];
  for (let k = 1; k <= count; k++) {
    if (rng.chance(0.3)) {
      const shared = rng.pick(SHARED_FILES);
      out.push({ filename: shared.name, spec: shared.spec });
      continue;
    }
    const key = `${store.seedKey}:${index}:${k}`;
    const roll = rng.next();
    if (roll < 0.6) {
      const w = rng.int(16, 160);
      const h = rng.int(16, 120);
      out.push({ filename: `${rng.chance(0.05) ? 'SPOILER_' : ''}IMG_${1000 + (index % 9000)}.png`, spec: { key, kind: 'png', width: w, height: h }, description: rng.chance(0.3) ? 'A photo of the finished piece' : undefined });
    } else if (roll < 0.85) {
      out.push({ filename: `notes-${index}.txt`, spec: { key, kind: 'text', bytes: rng.int(40, 6000) } });
    } else {
      out.push({ filename: `project-${index}.zip`, spec: { key, kind: 'binary', bytes: rng.int(10_000, 400_000) } });
    }
  }
  return out;
}

function userJson(user: UserRecord | APIUser): APIUser {
  return user as APIUser;
}

function sentence(rng: Rng, min: number, max: number): string {
  const n = rng.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng.pick(WORDS));
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + rng.pick(['.', '!', '?', '', ' 🙂', '...']);
}

export function buildMessageFactory(context: MessageContext) {
  const { world, guild, flavor } = context;
  const emojis = () => [...guild.emojis.values()];
  const stickers = () => [...guild.stickers.values()];
  const mentionableRoles = () => [...guild.roles.values()].filter((r) => r.mentionable);
  const otherChannels = () => [...guild.channels.values()].filter((c) => c.type === 0);

  function pickAuthor(rng: Rng, store: MessageStore, index: number): { author: UserRecord; webhookId?: string } {
    if (index === 0 && context.starterAuthorId) return { author: guild.members.get(context.starterAuthorId)?.user ?? context.authors[0] };
    if (flavor === 'log' && context.botAuthors.length > 0 && rng.chance(0.8)) return { author: rng.pick(context.botAuthors) };
    const hooks = context.webhookAuthors.filter((w) => guild.webhooks.get(w.id)?.channel_id === store.channelId);
    if (hooks.length > 0 && rng.chance(flavor === 'announcement' ? 0.6 : 0.08)) {
      const hook = rng.pick(hooks);
      return { author: hook, webhookId: hook.id };
    }
    if (context.botAuthors.length > 0 && rng.chance(0.04)) return { author: rng.pick(context.botAuthors) };
    // Deleted and departed users wrote some of the older messages.
    if (context.formerUsers.length > 0 && index < store.count * 0.4 && rng.chance(0.06)) return { author: rng.pick(context.formerUsers) };
    return { author: rng.pick(context.authors) };
  }

  function buildEmbed(rng: Rng, index: number, isBot: boolean): APIEmbed {
    if (isBot || rng.chance(0.5)) {
      return {
        type: 'rich' as APIEmbed['type'],
        title: rng.pick(['Member joined', 'Message deleted', 'Weekly digest 📊', 'Build passed ✅', 'Warning issued']),
        description: sentence(rng, 6, 20),
        color: rng.int(0, 0xffffff),
        timestamp: new Date(0).toISOString(),
        fields: [
          { name: 'User', value: `<@${rng.pick(context.authors).id}>`, inline: true },
          { name: 'Count', value: String(rng.int(1, 999)), inline: true },
        ],
        footer: { text: 'Helper Bot · generated' },
      };
    }
    const slug = `${rng.pick(WORDS)}-${index}`;
    return {
      type: 'link',
      url: `https://example.com/guides/${slug}`,
      title: `Guide: ${slug}`,
      description: sentence(rng, 5, 15),
      provider: { name: 'Example Guides' },
    } as APIEmbed;
  }

  return function makeMessage(store: MessageStore, index: number, depth = 0): APIMessage {
    const rng = new Rng(store.seedKey, index);
    const timestampMs = store.timestampAt(index);
    const id = store.generatedIdAt(index);
    const { author, webhookId } = pickAuthor(rng, store, index);
    const isBot = !!author.bot;
    const message: APIMessage = {
      type: MessageType.Default,
      content: '',
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      timestamp: new Date(timestampMs).toISOString(),
      edited_timestamp: null,
      flags: 0 as MessageFlags,
      components: [],
      id,
      channel_id: store.channelId,
      author: userJson(author),
      pinned: false,
      mention_everyone: false,
      tts: false,
    };
    if (webhookId) message.webhook_id = webhookId;

    // Member joins in the system channel carry no content.
    if (guild.guild.system_channel_id === store.channelId && !webhookId && !isBot && rng.chance(0.03)) {
      message.type = MessageType.UserJoin;
      return message;
    }

    // Content: a sentence, sometimes a line of unicode, sometimes mentions.
    let content = rng.chance(0.12) ? rng.pick(UNICODE_LINES) : sentence(rng, 2, 28);
    if (rng.chance(0.06)) {
      const user = rng.pick(context.authors);
      content = `<@${user.id}> ${content}`;
      message.mentions.push(userJson(user));
    }
    if (rng.chance(0.01)) {
      content = `<@${world.bot.id}> ${content}`;
      message.mentions.push(userJson(world.bot));
    }
    const roles = mentionableRoles();
    if (roles.length > 0 && rng.chance(0.02)) {
      const role = rng.pick(roles);
      content += ` <@&${role.id}>`;
      message.mention_roles.push(role.id);
    }
    if (rng.chance(0.004)) {
      content = `@everyone ${content}`;
      message.mention_everyone = true;
    }
    const channels = otherChannels();
    if (channels.length > 0 && rng.chance(0.02)) content += ` see <#${rng.pick(channels).id}>`;
    const customEmojis = emojis();
    if (customEmojis.length > 0 && rng.chance(0.04)) {
      const e = rng.pick(customEmojis);
      content += ` <${e.animated ? 'a' : ''}:${e.name}:${e.id}>`;
    }
    message.content = content;

    // Replies point back at an earlier message of the same channel.
    if (index > 2 && rng.chance(0.12)) {
      const target = index - rng.int(1, Math.min(index, 30));
      message.type = MessageType.Reply;
      message.message_reference = { type: 0, message_id: store.generatedIdAt(target), channel_id: store.channelId, guild_id: guild.guild.id };
      // Discord nests one level: the referenced message carries no referenced_message of its own.
      if (depth === 0) message.referenced_message = makeMessage(store, target, 1);
    } else if (index > 5 && rng.chance(0.02)) {
      // A forward: a snapshot of an earlier message, with no content of its own.
      const target = makeMessage(store, index - rng.int(1, Math.min(index, 50)), depth + 1);
      message.content = '';
      message.flags = (message.flags ?? 0) | MessageFlags.HasSnapshot;
      message.message_reference = { type: 1, message_id: target.id, channel_id: store.channelId, guild_id: guild.guild.id };
      message.message_snapshots = [
        {
          message: {
            type: target.type,
            content: target.content,
            embeds: target.embeds,
            attachments: target.attachments,
            timestamp: target.timestamp,
            edited_timestamp: target.edited_timestamp,
            flags: target.flags ?? 0,
            mentions: target.mentions,
            mention_roles: target.mention_roles,
            components: [],
          },
        },
      ] as never;
    }

    if (rng.chance(0.08)) message.edited_timestamp = new Date(timestampMs + rng.int(5_000, 3_600_000)).toISOString();
    if (store.generatedPin(index)) message.pinned = true;
    if (isBot || rng.chance(0.04)) message.embeds.push(buildEmbed(rng, index, isBot));
    if (flavor === 'announcement' && rng.chance(0.5)) message.flags = (message.flags ?? 0) | MessageFlags.Crossposted;

    message.attachments = attachmentPlan(store, index, flavor).map((plan, i) => attachmentJson(store, index, i + 1, plan));

    const stickerList = stickers();
    if (stickerList.length > 0 && rng.chance(0.015)) {
      const s = rng.pick(stickerList);
      message.sticker_items = [{ id: s.id, name: s.name, format_type: s.format_type }];
      if (rng.chance(0.5)) message.content = '';
    }

    if (!isBot && rng.chance(0.007)) {
      const answers = ['Ceramics', 'Textiles', 'Electronics 🔌', 'Woodwork'];
      message.poll = {
        question: { text: 'What should next month’s challenge be?' },
        answers: answers.map((text, n) => ({ answer_id: n + 1, poll_media: { text } })),
        expiry: new Date(timestampMs + 86_400_000).toISOString(),
        allow_multiselect: rng.chance(0.5),
        layout_type: 1,
        results: { is_finalized: true, answer_counts: answers.map((_, n) => ({ id: n + 1, count: rng.int(0, 12), me_voted: false })) },
      };
    }

    if (rng.chance(0.1)) {
      const reactions = [];
      const count = rng.int(1, 3);
      const used = new Set<string>();
      for (let r = 0; r < count; r++) {
        const custom = customEmojis.length > 0 && rng.chance(0.35) ? rng.pick(customEmojis) : undefined;
        const emoji = custom ? { id: custom.id, name: custom.name, ...(custom.animated ? { animated: true } : {}) } : { id: null, name: rng.pick(UNICODE_EMOJI) };
        const key = emoji.id ?? emoji.name!;
        if (used.has(key)) continue;
        used.add(key);
        const total = rng.int(1, Math.min(12, context.authors.length));
        const burst = rng.chance(0.1) ? 1 : 0;
        reactions.push({
          emoji,
          count: total,
          count_details: { burst, normal: total - burst },
          burst_colors: burst ? ['#ff0000'] : [],
          me: false,
          me_burst: false,
        });
      }
      message.reactions = reactions as never;
    }

    const threadId = store.threadStarts.get(index);
    if (threadId) {
      const thread = guild.threads.get(threadId);
      message.flags = (message.flags ?? 0) | MessageFlags.HasThread;
      if (thread) message.thread = thread as never;
    }
    return message;
  };
}

function attachmentJson(store: MessageStore, index: number, k: number, plan: AttachmentPlan): APIAttachment {
  const id = store.attachmentId(index, k);
  const spec = plan.spec;
  const attachment: APIAttachment = {
    id,
    filename: plan.filename,
    size: fileSize(spec),
    // Unsigned; presentation signs it for the CDN the server is listening on.
    url: `/attachments/${store.channelId}/${id}/${plan.filename}`,
    proxy_url: `/attachments/${store.channelId}/${id}/${plan.filename}`,
    content_type: contentTypeOf(spec),
  };
  if (spec.kind === 'png') {
    attachment.width = spec.width;
    attachment.height = spec.height;
  }
  if (plan.description) attachment.description = plan.description;
  return attachment;
}
