/**
 * The showcase layout (the demo server): every channel type, overwrites that hide a
 * channel from the bot and deny it Read Message History elsewhere, threads of every
 * kind, forum and media posts with tags, webhooks, scheduled events, auto-moderation
 * rules, a welcome screen, onboarding and soundboard sounds.
 */
import { OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { ChannelRecord } from './model';
import { MessageStore } from './messageStore';
import { attachmentPlan, buildMessageFactory, type MessageContext } from './messageFactory';
import { Rng } from './random';
import { TOPICS } from './vocabulary';
import { HISTORY_END_MS } from './world';
import { DAY, GuildBuilder, newestGeneratedPin } from './guildBuilder';

export class ShowcaseGuildBuilder extends GuildBuilder {
  protected override layout(): void {
    this.showcaseChannels();
    // Bulk text channels on top, for the 'large' preset.
    if ((this.spec.textChannels ?? 0) > 0) this.plainChannels();
  }

  protected showcaseChannels(): void {
    const everyone = this.guildId;
    const bot = this.world.bot.id;
    const info = this.channel(4, '📌 Information', null);
    const welcome = this.channel(0, 'welcome', info, { topic: TOPICS[0] });
    welcome.permission_overwrites = [this.overwrite(everyone, OverwriteType.Role, 0n, P.SendMessages)];
    this.history(welcome, this.scaled(6), 'text');
    const news = this.channel(5, 'announcements', info, { topic: TOPICS[3] });
    news.permission_overwrites = [
      this.overwrite(everyone, OverwriteType.Role, 0n, P.SendMessages),
      this.overwrite(this.modRoleId, OverwriteType.Role, P.SendMessages | P.MentionEveryone, 0n),
    ];
    this.state.guild.rules_channel_id = welcome.id;
    this.state.guild.public_updates_channel_id = news.id;

    const community = this.channel(4, '💬 Community', null);
    const general = this.channel(0, 'general', community, { topic: TOPICS[2] });
    this.state.guild.system_channel_id = general.id;
    const intro = this.channel(0, 'introductions', community, { topic: TOPICS[0], rate_limit_per_user: 60 });
    const offTopic = this.channel(0, 'off-topic', community);
    const show = this.channel(0, 'show-and-tell', community, { topic: TOPICS[1] });
    const memes = this.channel(0, 'memes-🎉', community, { nsfw: false });
    const ideas = this.channel(15, 'ideas', community, { topic: 'Suggest things. One idea per post.' });
    const gallery = this.channel(16, 'gallery', community, { topic: 'Photos of finished pieces.' });

    const voice = this.channel(4, '🔊 Voice', null);
    const lounge = this.channel(2, 'Lounge', voice);
    const stage = this.channel(13, 'Town Hall', voice, { bitrate: 64000 });
    const afk = this.channel(2, 'AFK', voice);
    this.state.guild.afk_channel_id = afk.id;

    const staff = this.channel(4, '🛡️ Staff', null);
    staff.permission_overwrites = [
      this.overwrite(everyone, OverwriteType.Role, 0n, P.ViewChannel),
      this.overwrite(this.modRoleId, OverwriteType.Role, P.ViewChannel, 0n),
      this.overwrite(this.botRoleId, OverwriteType.Role, P.ViewChannel, 0n),
    ];
    const modLog = this.channel(0, 'mod-log', staff);
    this.amendOverwrite(modLog, bot, OverwriteType.Member, P.SendMessages | P.EmbedLinks, 0n);
    const staffChat = this.channel(0, 'staff-chat', staff);
    // Hidden from the bot by a member overwrite: listing it works, reading it is 403 50001.
    const secret = this.channel(0, 'secret-santa', staff, { topic: 'Shh 🤫' });
    this.amendOverwrite(secret, bot, OverwriteType.Member, 0n, P.ViewChannel);
    // Visible but without READ_MESSAGE_HISTORY for the bot: the message list comes back empty.
    const vent = this.channel(0, 'vent-archive', staff);
    // The bot role keeps View Channel from the category's overwrite and loses Read Message History.
    this.amendOverwrite(vent, this.botRoleId, OverwriteType.Role, 0n, P.ReadMessageHistory);
    this.state.guild.safety_alerts_channel_id = modLog.id;

    // Webhooks post in some channels: create them before the histories that use them.
    this.webhook(news, 'Release Feed');
    this.webhook(general, 'GitHub');

    const newsStore = this.history(news, this.scaled(40), 'announcement');
    const generalStore = this.history(general, this.scaled(1200, 250), 'text');
    this.history(intro, this.scaled(150), 'text');
    this.history(offTopic, this.scaled(400), 'text');
    this.history(show, this.scaled(200), 'gallery');
    this.history(memes, this.scaled(100), 'text');
    this.history(lounge, this.scaled(30), 'text');
    this.history(stage, this.scaled(10), 'text');
    this.history(modLog, this.scaled(150), 'log');
    const staffStore = this.history(staffChat, this.scaled(120), 'text');
    this.history(secret, this.scaled(25), 'text');
    this.history(vent, this.scaled(60), 'text');

    // Threads started from messages in #general and #staff-chat.
    const threadPlan: Array<[MessageStore, ChannelRecord, number, string, boolean, boolean]> = [
      // store, parent, type, name, archived, joined (private)
      [generalStore, general, 11, 'Printer troubleshooting 🖨️', false, false],
      [generalStore, general, 11, 'Weekend meetup plans', false, false],
      [generalStore, general, 11, 'Old kiln thread', true, false],
      [generalStore, general, 11, 'Glaze recipes (archived)', true, false],
      [generalStore, general, 12, 'Event planning (private)', false, true],
      [generalStore, general, 12, 'Gift ideas 🤫', true, false],
      [staffStore, staffChat, 12, 'Ban appeal: spam wave', true, true],
      [newsStore, news, 10, 'Release notes discussion', true, false],
    ];
    threadPlan.forEach(([store, parent, type, name, archived, joined], i) => {
      const index = Math.floor(store.count * (0.2 + 0.1 * i));
      this.thread(parent, store, index, type, name, archived, joined, this.scaled(40, 8));
    });

    // Forum and media posts.
    ideas.available_tags = [
      { id: this.nextId(), name: 'Question', moderated: false, emoji_id: null, emoji_name: '❓' },
      { id: this.nextId(), name: 'Suggestion', moderated: false, emoji_id: null, emoji_name: '💡' },
      { id: this.nextId(), name: 'Bug', moderated: false, emoji_id: null, emoji_name: '🐛' },
      { id: this.nextId(), name: 'Done', moderated: true, emoji_id: null, emoji_name: '✅' },
    ];
    ideas.default_reaction_emoji = { emoji_id: null, emoji_name: '👍' };
    const postNames = ['Dark mode for the wiki?', 'Monthly challenge: ceramics', 'Bot posts twice', 'Add a #3d-printing channel', 'Swap meet 2025', 'Emoji contest 🏆', 'Pinned: how to post', 'Voice chat etiquette'];
    postNames.forEach((name, i) => this.post(ideas, name, i, i >= 5, this.scaled(20, 3)));
    gallery.available_tags = [
      { id: this.nextId(), name: 'Ceramics', moderated: false, emoji_id: null, emoji_name: '🏺' },
      { id: this.nextId(), name: 'Textiles', moderated: false, emoji_id: null, emoji_name: '🧶' },
    ];
    ['Blue vase', 'Scarf, 3 weeks of work', 'Tiny robot', 'Sunset quilt'].forEach((name, i) => this.post(gallery, name, i, i === 3, this.scaled(10, 2)));

    this.events(stage);
    this.autoMod(memes);
    this.welcomeAndOnboarding(welcome, general, intro, show);
    this.soundboard();
  }

  protected welcomeAndOnboarding(welcome: ChannelRecord, general: ChannelRecord, intro: ChannelRecord, show: ChannelRecord): void {
    this.state.guild.features.push('WELCOME_SCREEN_ENABLED', 'AUTO_MODERATION');
    const vault = [...this.state.emojis.values()][0];
    this.state.welcomeScreen = {
      description: 'Makers of every kind: say hi, show your work, ask anything. 🛠️',
      welcome_channels: [
        { channel_id: welcome.id, description: 'Read the rules first', emoji_id: null, emoji_name: '📜' },
        { channel_id: intro.id, description: 'Introduce yourself', emoji_id: null, emoji_name: '👋' },
        { channel_id: show.id, description: 'Show what you made', emoji_id: vault?.id ?? null, emoji_name: vault?.name ?? null },
      ],
    };
    const roles = [...this.state.roles.values()];
    const artist = roles.find((r) => r.name === 'Artist');
    const maker = roles.find((r) => r.name === 'Maker');
    this.state.onboarding = {
      guild_id: this.guildId,
      prompts: [
        {
          id: this.nextId(),
          title: 'What do you make?',
          options: [
            { id: this.nextId(), title: 'Art', description: 'Painting, drawing, ceramics', emoji: { id: null, name: '🎨', animated: false }, role_ids: artist ? [artist.id] : [], channel_ids: [show.id] },
            { id: this.nextId(), title: 'Things', description: 'Electronics, wood, 3D printing', emoji: { id: null, name: '🔧', animated: false }, role_ids: maker ? [maker.id] : [], channel_ids: [general.id] },
          ],
          single_select: false,
          required: true,
          in_onboarding: true,
          type: 0,
        },
      ],
      default_channel_ids: [welcome.id, general.id, intro.id],
      enabled: true,
      mode: 0,
    };
  }

  protected soundboard(): void {
    const owner = this.state.members.get(this.state.guild.owner_id)!.user;
    [
      ['Kiln ding', '🔔'],
      ['Vault door', null],
    ].forEach(([name, emoji], i) => {
      const id = this.nextId();
      this.world.assetFiles.set(`soundboard-sounds/${id}`, { key: `sound/${id}`, kind: 'binary', bytes: 12_000 + i * 3_000 });
      this.state.soundboardSounds.set(id, { name: name!, sound_id: id, volume: 1, emoji_id: null, emoji_name: emoji, guild_id: this.guildId, available: true, user: owner });
    });
  }

  protected thread(parent: ChannelRecord, parentStore: MessageStore, index: number, type: number, name: string, archived: boolean, joined: boolean, count: number): void {
    const startMs = parentStore.timestampAt(index);
    const id = parentStore.generatedIdAt(index);
    const owner = this.authors[(index * 7) % this.authors.length];
    const endMs = Math.min(HISTORY_END_MS, startMs + Math.max(2 * DAY, count * 3_600_000));
    const thread: ChannelRecord = {
      id,
      type,
      guild_id: this.guildId,
      name,
      parent_id: parent.id,
      owner_id: owner.id,
      flags: 0,
      last_message_id: null,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived,
        auto_archive_duration: 1440,
        archive_timestamp: new Date(archived ? endMs + DAY : startMs).toISOString(),
        locked: archived && name.includes('spam'),
        create_timestamp: new Date(startMs).toISOString(),
        ...(type === 12 ? { invitable: false } : {}),
      },
      message_count: count,
      member_count: Math.min(50, 2 + (count >> 2)),
      total_message_sent: count,
    };
    this.world.registerChannel(this.state, thread);
    if (joined) this.state.joinedThreadIds.add(id);
    // Thread messages start a little after the message that started the thread.
    this.history(thread, count, 'text', startMs + 1000, endMs);
    // Only public and announcement threads start from a message (private ones cannot).
    if (type !== 12) parentStore.threadStarts.set(index, id);
  }

  protected post(forum: ChannelRecord, name: string, i: number, archived: boolean, count: number): void {
    const ordinalRng = new Rng(this.world.seed, 'post', forum.id, i);
    const startMs = HISTORY_END_MS - (300 - i * 30) * DAY - ordinalRng.int(0, DAY);
    const endMs = Math.min(HISTORY_END_MS, startMs + 20 * DAY);
    const owner = this.authors[(i * 5 + 1) % this.authors.length];
    // A post's id is its starter message's id: make the history first, then name the thread after message 0.
    const placeholder: ChannelRecord = {
      id: '',
      type: 11,
      guild_id: this.guildId,
      name,
      parent_id: forum.id,
      owner_id: owner.id,
      flags: i === 6 ? 2 : 0, // PINNED
      last_message_id: null,
      rate_limit_per_user: 0,
      thread_metadata: {
        archived,
        auto_archive_duration: 4320,
        archive_timestamp: new Date(archived ? endMs + DAY : startMs).toISOString(),
        locked: false,
        create_timestamp: new Date(startMs).toISOString(),
      },
      message_count: count - 1,
      member_count: Math.min(50, 1 + count),
      total_message_sent: count,
      applied_tags: (forum.available_tags ?? []).filter((_, t) => (i + t) % 3 === 0).map((t) => t.id),
    };
    const ordinal = this.world.nextStoreOrdinal();
    const step = Math.max(1, Math.floor((endMs - startMs) / count));
    const context: MessageContext = {
      world: this.world,
      guild: this.state,
      channel: placeholder,
      flavor: forum.type === 16 ? 'gallery' : 'text',
      authors: this.authors,
      botAuthors: this.botAuthors,
      webhookAuthors: this.webhookAuthors,
      formerUsers: this.state.formerUsers,
      starterAuthorId: owner.id,
    };
    const store = new MessageStore(
      { channelId: '', guildId: this.guildId, ordinal, count, startMs, stepMs: step, seedKey: `${this.world.seed}:post:${forum.id}:${i}` },
      buildMessageFactory(context),
    );
    store.attachmentFile = (m, k) => attachmentPlan(store, m, context.flavor)[k - 1]?.spec;
    placeholder.id = store.generatedIdAt(0);
    (store as { channelId: string }).channelId = placeholder.id;
    placeholder.last_message_id = store.generatedIdAt(count - 1);
    placeholder.last_pin_timestamp = newestGeneratedPin(store);
    this.world.registerChannel(this.state, placeholder);
    this.state.messageStores.set(placeholder.id, store);
    forum.last_message_id = placeholder.id;
  }

  protected events(stage: ChannelRecord): void {
    const creator = this.state.members.get(this.state.guild.owner_id)!.user;
    const add = (event: Record<string, unknown>) => {
      const id = this.nextId();
      this.state.scheduledEvents.set(id, { id, guild_id: this.guildId, creator_id: creator.id, creator, description: null, image: null, recurrence_rule: null, guild_scheduled_event_exceptions: [], ...event } as never);
    };
    add({
      name: 'Town Hall: Q3 roadmap',
      description: 'Ask the mods anything 🎤',
      channel_id: stage.id,
      scheduled_start_time: new Date(HISTORY_END_MS + 10 * DAY).toISOString(),
      scheduled_end_time: null,
      privacy_level: 2,
      status: 1,
      entity_type: 1,
      entity_id: null,
      entity_metadata: null,
      user_count: 14,
    });
    add({
      name: 'Swap meet in the park',
      channel_id: null,
      scheduled_start_time: new Date(HISTORY_END_MS + 20 * DAY).toISOString(),
      scheduled_end_time: new Date(HISTORY_END_MS + 20 * DAY + 4 * 3_600_000).toISOString(),
      privacy_level: 2,
      status: 1,
      entity_type: 3,
      entity_id: null,
      entity_metadata: { location: 'Parc de la Tête d’Or, Lyon' },
      user_count: 9,
    });
  }

  protected autoMod(exempt: ChannelRecord): void {
    const creatorId = this.state.guild.owner_id;
    const add = (rule: Record<string, unknown>) => {
      const id = this.nextId();
      this.state.autoModRules.set(id, { id, guild_id: this.guildId, creator_id: creatorId, enabled: true, exempt_roles: [this.modRoleId], exempt_channels: [], ...rule } as never);
    };
    add({
      name: 'Block invite spam',
      event_type: 1,
      trigger_type: 1,
      trigger_metadata: { keyword_filter: ['discord.gg/*', '*free nitro*'], regex_patterns: [], allow_list: ['discord.gg/guildvault'] },
      actions: [{ type: 1, metadata: { custom_message: 'Invites are not allowed here.' } }, { type: 2, metadata: { channel_id: [...this.state.channels.values()].find((c) => c.name === 'mod-log')!.id } }],
      exempt_channels: [exempt.id],
    });
    add({ name: 'Mention spam', event_type: 1, trigger_type: 5, trigger_metadata: { mention_total_limit: 8, mention_raid_protection_enabled: true }, actions: [{ type: 1, metadata: {} }] });
  }
}
