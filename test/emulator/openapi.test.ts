/**
 * Every route the emulator serves, called once (writes in an order that builds on
 * each other), its status checked against the 2xx statuses of Discord's OpenAPI
 * description and its JSON body validated against the route's response schema.
 */
import assert from 'node:assert/strict';
import { apiRoutes, startEmulator, type Emulator } from '../../src/emulator';
import { api, channelNamed } from './helpers';
import { ResponseValidator } from './openapi/responseSchemas';

const PNG_1PX = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';

interface Step {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  template: string;
  path: () => string;
  body?: () => unknown;
  form?: () => FormData;
  noToken?: boolean;
  keep?: (body: any) => void;
}

describe('emulator: responses validate against Discord’s OpenAPI schemas, route by route', () => {
  let emu: Emulator;
  let validator: ResponseValidator;
  const covered = new Set<string>();
  const s: Record<string, string> = {};
  before(async () => {
    validator = new ResponseValidator();
    emu = await startEmulator({ seed: 17, size: 'demo', rateLimits: false });
    const guild = emu.world.guild(emu.guildIds[0])!;
    s.g = emu.guildIds[0];
    s.general = channelNamed(emu, 'general').id;
    s.staff = channelNamed(emu, 'staff-chat').id;
    s.ideas = channelNamed(emu, 'ideas').id;
    s.category = channelNamed(emu, '💬 Community').id;
    s.member = [...guild.members.values()].find((m) => m.roles.length === 1 && !m.user.bot)!.user.id;
    s.banned = [...guild.bans.keys()][0];
    s.emoji = [...guild.emojis.keys()][0];
    s.sticker = [...guild.stickers.keys()][0];
    s.event = [...guild.scheduledEvents.keys()][0];
    s.rule = [...guild.autoModRules.keys()][0];
    s.memberRole = [...guild.roles.values()].find((r) => r.name === 'Member')!.id;
    s.message = emu.world.channel(s.general)!.channel.last_message_id!;
  });
  after(() => emu.close());

  const g = (path: string) => () => `/guilds/${s.g}${path}`;
  const steps: Step[] = [
    { method: 'GET', template: '/users/@me', path: () => '/users/@me' },
    { method: 'GET', template: '/users/@me/guilds', path: () => '/users/@me/guilds?with_counts=true' },
    { method: 'GET', template: '/users/{user_id}', path: () => `/users/${s.member}` },
    { method: 'GET', template: '/applications/@me', path: () => '/applications/@me' },
    { method: 'GET', template: '/guilds/{guild_id}', path: g('?with_counts=true') },
    { method: 'GET', template: '/guilds/{guild_id}/roles', path: g('/roles') },
    { method: 'GET', template: '/guilds/{guild_id}/roles/{role_id}', path: () => `/guilds/${s.g}/roles/${s.memberRole}` },
    { method: 'GET', template: '/guilds/{guild_id}/channels', path: g('/channels') },
    { method: 'GET', template: '/guilds/{guild_id}/members', path: g('/members?limit=1000') },
    { method: 'GET', template: '/guilds/{guild_id}/members/{user_id}', path: () => `/guilds/${s.g}/members/${s.member}` },
    { method: 'GET', template: '/guilds/{guild_id}/bans', path: g('/bans') },
    { method: 'GET', template: '/guilds/{guild_id}/bans/{user_id}', path: () => `/guilds/${s.g}/bans/${s.banned}` },
    { method: 'GET', template: '/guilds/{guild_id}/emojis', path: g('/emojis') },
    { method: 'GET', template: '/guilds/{guild_id}/emojis/{emoji_id}', path: () => `/guilds/${s.g}/emojis/${s.emoji}` },
    { method: 'GET', template: '/guilds/{guild_id}/stickers', path: g('/stickers') },
    { method: 'GET', template: '/guilds/{guild_id}/stickers/{sticker_id}', path: () => `/guilds/${s.g}/stickers/${s.sticker}` },
    { method: 'GET', template: '/guilds/{guild_id}/scheduled-events', path: g('/scheduled-events?with_user_count=true') },
    { method: 'GET', template: '/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}', path: () => `/guilds/${s.g}/scheduled-events/${s.event}` },
    { method: 'GET', template: '/guilds/{guild_id}/auto-moderation/rules', path: g('/auto-moderation/rules') },
    { method: 'GET', template: '/guilds/{guild_id}/auto-moderation/rules/{rule_id}', path: () => `/guilds/${s.g}/auto-moderation/rules/${s.rule}` },
    { method: 'GET', template: '/guilds/{guild_id}/webhooks', path: g('/webhooks') },
    { method: 'GET', template: '/guilds/{guild_id}/threads/active', path: g('/threads/active') },
    { method: 'GET', template: '/channels/{channel_id}', path: () => `/channels/${s.general}` },
    { method: 'GET', template: '/channels/{channel_id}/threads/archived/public', path: () => `/channels/${s.general}/threads/archived/public` },
    { method: 'GET', template: '/channels/{channel_id}/threads/archived/private', path: () => `/channels/${s.staff}/threads/archived/private` },
    { method: 'GET', template: '/channels/{channel_id}/users/@me/threads/archived/private', path: () => `/channels/${s.staff}/users/@me/threads/archived/private` },
    { method: 'GET', template: '/channels/{channel_id}/webhooks', path: () => `/channels/${s.general}/webhooks` },
    { method: 'GET', template: '/channels/{channel_id}/messages', path: () => `/channels/${s.general}/messages?limit=100` },
    { method: 'GET', template: '/channels/{channel_id}/messages/{message_id}', path: () => `/channels/${s.general}/messages/${s.message}` },
    { method: 'GET', template: '/channels/{channel_id}/messages/pins', path: () => `/channels/${s.general}/messages/pins` },
    { method: 'GET', template: '/channels/{channel_id}/pins', path: () => `/channels/${s.general}/pins` },
    // writes
    { method: 'PATCH', template: '/guilds/{guild_id}', path: g(''), body: () => ({ description: 'Restored ✨', icon: PNG_1PX }) },
    { method: 'POST', template: '/guilds/{guild_id}/roles', path: g('/roles'), body: () => ({ name: 'Schema Role', color: 255 }), keep: (b) => (s.role = b.id) },
    { method: 'PATCH', template: '/guilds/{guild_id}/roles/{role_id}', path: () => `/guilds/${s.g}/roles/${s.role}`, body: () => ({ hoist: true }) },
    { method: 'PATCH', template: '/guilds/{guild_id}/roles', path: g('/roles'), body: () => [{ id: s.role, position: 2 }] },
    { method: 'PUT', template: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}', path: () => `/guilds/${s.g}/members/${s.member}/roles/${s.role}` },
    { method: 'DELETE', template: '/guilds/{guild_id}/members/{user_id}/roles/{role_id}', path: () => `/guilds/${s.g}/members/${s.member}/roles/${s.role}` },
    { method: 'PATCH', template: '/guilds/{guild_id}/members/{user_id}', path: () => `/guilds/${s.g}/members/${s.member}`, body: () => ({ nick: 'Renamed 🐙', roles: [s.memberRole, s.role] }) },
    { method: 'POST', template: '/guilds/{guild_id}/channels', path: g('/channels'), body: () => ({ name: 'schema-chat', parent_id: s.category, permission_overwrites: [{ id: s.memberRole, type: 0, allow: '1024', deny: '0' }] }), keep: (b) => (s.channel = b.id) },
    { method: 'PATCH', template: '/channels/{channel_id}', path: () => `/channels/${s.channel}`, body: () => ({ topic: 'Schema topic' }) },
    { method: 'PATCH', template: '/guilds/{guild_id}/channels', path: g('/channels'), body: () => [{ id: s.channel, position: 1 }] },
    { method: 'PUT', template: '/channels/{channel_id}/permissions/{overwrite_id}', path: () => `/channels/${s.channel}/permissions/${s.member}`, body: () => ({ type: 1, allow: '2048', deny: '0' }) },
    { method: 'DELETE', template: '/channels/{channel_id}/permissions/{overwrite_id}', path: () => `/channels/${s.channel}/permissions/${s.member}` },
    { method: 'POST', template: '/channels/{channel_id}/messages', path: () => `/channels/${s.channel}/messages`, body: () => ({ content: 'Schema message <@' + s.member + '>', embeds: [{ title: 'Embed', description: 'text' }] }), keep: (b) => (s.posted = b.id) },
    { method: 'PATCH', template: '/channels/{channel_id}/messages/{message_id}', path: () => `/channels/${s.channel}/messages/${s.posted}`, body: () => ({ content: 'Edited' }) },
    { method: 'PUT', template: '/channels/{channel_id}/pins/{message_id}', path: () => `/channels/${s.channel}/pins/${s.posted}` },
    { method: 'DELETE', template: '/channels/{channel_id}/pins/{message_id}', path: () => `/channels/${s.channel}/pins/${s.posted}` },
    { method: 'PUT', template: '/channels/{channel_id}/messages/pins/{message_id}', path: () => `/channels/${s.channel}/messages/pins/${s.posted}` },
    { method: 'DELETE', template: '/channels/{channel_id}/messages/pins/{message_id}', path: () => `/channels/${s.channel}/messages/pins/${s.posted}` },
    { method: 'PUT', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me', path: () => `/channels/${s.channel}/messages/${s.posted}/reactions/${encodeURIComponent('👍')}/@me` },
    { method: 'GET', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}', path: () => `/channels/${s.channel}/messages/${s.posted}/reactions/${encodeURIComponent('👍')}` },
    { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me', path: () => `/channels/${s.channel}/messages/${s.posted}/reactions/${encodeURIComponent('👍')}/@me` },
    { method: 'POST', template: '/channels/{channel_id}/messages/{message_id}/threads', path: () => `/channels/${s.channel}/messages/${s.posted}/threads`, body: () => ({ name: 'Schema thread' }) },
    { method: 'POST', template: '/channels/{channel_id}/threads', path: () => `/channels/${s.ideas}/threads`, body: () => ({ name: 'Schema post', message: { content: 'Starter' } }) },
    { method: 'POST', template: '/channels/{channel_id}/webhooks', path: () => `/channels/${s.channel}/webhooks`, body: () => ({ name: 'Schema Hook' }), keep: (b) => ((s.hook = b.id), (s.hookToken = b.token)) },
    { method: 'GET', template: '/webhooks/{webhook_id}', path: () => `/webhooks/${s.hook}` },
    { method: 'PATCH', template: '/webhooks/{webhook_id}', path: () => `/webhooks/${s.hook}`, body: () => ({ name: 'Schema Hook 2' }) },
    { method: 'GET', template: '/webhooks/{webhook_id}/{webhook_token}', path: () => `/webhooks/${s.hook}/${s.hookToken}`, noToken: true },
    { method: 'POST', template: '/webhooks/{webhook_id}/{webhook_token}', path: () => `/webhooks/${s.hook}/${s.hookToken}?wait=true`, noToken: true, body: () => ({ content: 'Replayed', username: 'Someone' }) },
    // What a migration sends: silent, pinging nobody, files as multipart with payload_json, into a thread.
    {
      method: 'POST',
      template: '/webhooks/{webhook_id}/{webhook_token}',
      path: () => `/webhooks/${s.hook}/${s.hookToken}?wait=true&thread_id=${s.posted}`,
      noToken: true,
      form: () => {
        const form = new FormData();
        form.append('payload_json', JSON.stringify({ content: `-# <t:1700000000:f>\nhi <@${s.member}> @everyone`, username: 'Replayed Author', avatar_url: 'https://cdn.discordapp.com/embed/avatars/1.png', allowed_mentions: { parse: [] }, flags: 4096, attachments: [{ id: 0, filename: 'a.png', description: 'a pixel' }] }));
        form.append('files[0]', new Blob([Buffer.from(PNG_1PX.split(',')[1]!, 'base64')], { type: 'image/png' }), 'a.png');
        return form;
      },
    },
    { method: 'POST', template: '/channels/{channel_id}/webhooks', path: () => `/channels/${s.ideas}/webhooks`, body: () => ({ name: 'Forum Hook' }), keep: (b) => ((s.forumHook = b.id), (s.forumHookToken = b.token)) },
    {
      method: 'POST',
      template: '/webhooks/{webhook_id}/{webhook_token}',
      path: () => `/webhooks/${s.forumHook}/${s.forumHookToken}?wait=true`,
      noToken: true,
      body: () => ({ content: 'A post opened by a webhook', thread_name: 'Webhook post', applied_tags: [], allowed_mentions: { parse: [] }, flags: 4096 }),
    },
    { method: 'DELETE', template: '/webhooks/{webhook_id}/{webhook_token}', path: () => `/webhooks/${s.hook}/${s.hookToken}`, noToken: true },
    { method: 'POST', template: '/channels/{channel_id}/webhooks', path: () => `/channels/${s.channel}/webhooks`, body: () => ({ name: 'Second Hook' }), keep: (b) => (s.hook = b.id) },
    { method: 'DELETE', template: '/webhooks/{webhook_id}', path: () => `/webhooks/${s.hook}` },
    { method: 'DELETE', template: '/channels/{channel_id}/messages/{message_id}', path: () => `/channels/${s.channel}/messages/${s.posted}` },
    { method: 'POST', template: '/guilds/{guild_id}/emojis', path: g('/emojis'), body: () => ({ name: 'schema_emoji', image: PNG_1PX }), keep: (b) => (s.newEmoji = b.id) },
    { method: 'PATCH', template: '/guilds/{guild_id}/emojis/{emoji_id}', path: () => `/guilds/${s.g}/emojis/${s.newEmoji}`, body: () => ({ name: 'schema_emoji_2' }) },
    { method: 'DELETE', template: '/guilds/{guild_id}/emojis/{emoji_id}', path: () => `/guilds/${s.g}/emojis/${s.newEmoji}` },
    {
      method: 'POST',
      template: '/guilds/{guild_id}/stickers',
      path: g('/stickers'),
      form: () => {
        const form = new FormData();
        form.append('name', 'Schema Sticker');
        form.append('tags', 'schema');
        form.append('file', new Blob([Buffer.from(PNG_1PX.split(',')[1], 'base64')], { type: 'image/png' }), 's.png');
        return form;
      },
      keep: (b) => (s.newSticker = b.id),
    },
    { method: 'PATCH', template: '/guilds/{guild_id}/stickers/{sticker_id}', path: () => `/guilds/${s.g}/stickers/${s.newSticker}`, body: () => ({ description: 'Edited' }) },
    { method: 'DELETE', template: '/guilds/{guild_id}/stickers/{sticker_id}', path: () => `/guilds/${s.g}/stickers/${s.newSticker}` },
    {
      method: 'POST',
      template: '/guilds/{guild_id}/scheduled-events',
      path: g('/scheduled-events'),
      body: () => ({ name: 'Schema event', privacy_level: 2, entity_type: 3, scheduled_start_time: new Date(Date.now() + 86_400_000).toISOString(), scheduled_end_time: new Date(Date.now() + 90_000_000).toISOString(), entity_metadata: { location: 'Here' } }),
      keep: (b) => (s.newEvent = b.id),
    },
    { method: 'PATCH', template: '/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}', path: () => `/guilds/${s.g}/scheduled-events/${s.newEvent}`, body: () => ({ description: 'Edited' }) },
    { method: 'DELETE', template: '/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}', path: () => `/guilds/${s.g}/scheduled-events/${s.newEvent}` },
    {
      method: 'POST',
      template: '/guilds/{guild_id}/auto-moderation/rules',
      path: g('/auto-moderation/rules'),
      body: () => ({ name: 'Schema rule', event_type: 1, trigger_type: 1, trigger_metadata: { keyword_filter: ['bad'] }, actions: [{ type: 1 }], enabled: true }),
      keep: (b) => (s.newRule = b.id),
    },
    { method: 'PATCH', template: '/guilds/{guild_id}/auto-moderation/rules/{rule_id}', path: () => `/guilds/${s.g}/auto-moderation/rules/${s.newRule}`, body: () => ({ enabled: false }) },
    { method: 'DELETE', template: '/guilds/{guild_id}/auto-moderation/rules/{rule_id}', path: () => `/guilds/${s.g}/auto-moderation/rules/${s.newRule}` },
    { method: 'GET', template: '/guilds/{guild_id}/welcome-screen', path: g('/welcome-screen') },
    { method: 'PATCH', template: '/guilds/{guild_id}/welcome-screen', path: g('/welcome-screen'), body: () => ({ description: 'Welcome back', welcome_channels: [{ channel_id: s.general, description: 'Chat', emoji_name: '💬' }] }) },
    { method: 'GET', template: '/guilds/{guild_id}/onboarding', path: g('/onboarding') },
    {
      method: 'PUT',
      template: '/guilds/{guild_id}/onboarding',
      path: g('/onboarding'),
      body: () => ({ prompts: [{ title: 'Pick', options: [{ title: 'A', description: 'a', emoji: { name: '🅰️' }, role_ids: [s.memberRole], channel_ids: [s.general] }] }], default_channel_ids: [s.general], enabled: true, mode: 0 }),
    },
    { method: 'GET', template: '/guilds/{guild_id}/soundboard-sounds', path: g('/soundboard-sounds') },
    { method: 'POST', template: '/guilds/{guild_id}/soundboard-sounds', path: g('/soundboard-sounds'), body: () => ({ name: 'Ding', sound: 'data:audio/ogg;base64,T2dnUwACAAAAAAAAAAA=', emoji_name: '🔔' }), keep: (b) => (s.sound = b.sound_id) },
    { method: 'GET', template: '/guilds/{guild_id}/soundboard-sounds/{sound_id}', path: () => `/guilds/${s.g}/soundboard-sounds/${s.sound}` },
    { method: 'PATCH', template: '/guilds/{guild_id}/soundboard-sounds/{sound_id}', path: () => `/guilds/${s.g}/soundboard-sounds/${s.sound}`, body: () => ({ name: 'Dong' }) },
    { method: 'DELETE', template: '/guilds/{guild_id}/soundboard-sounds/{sound_id}', path: () => `/guilds/${s.g}/soundboard-sounds/${s.sound}` },
    { method: 'PUT', template: '/guilds/{guild_id}/bans/{user_id}', path: () => `/guilds/${s.g}/bans/${s.member}`, body: () => ({ delete_message_seconds: 0 }) },
    { method: 'DELETE', template: '/guilds/{guild_id}/bans/{user_id}', path: () => `/guilds/${s.g}/bans/${s.member}` },
    { method: 'DELETE', template: '/guilds/{guild_id}/roles/{role_id}', path: () => `/guilds/${s.g}/roles/${s.role}` },
    { method: 'DELETE', template: '/channels/{channel_id}', path: () => `/channels/${s.channel}` },
  ];

  for (const step of steps) {
    it(`${step.method} ${step.template}`, async () => {
      let status: number;
      let body: unknown;
      if (step.form) {
        const res = await fetch(`${emu.apiBaseUrl}/v10${step.path()}`, { method: step.method, headers: step.noToken ? {} : { Authorization: `Bot ${emu.token}` }, body: step.form() });
        status = res.status;
        const text = await res.text();
        body = text ? JSON.parse(text) : undefined;
      } else {
        const res = await api(emu, step.path(), { method: step.method, body: step.body?.(), token: step.noToken ? null : undefined });
        status = res.status;
        body = res.body;
      }
      assert.ok(status >= 200 && status < 300, `${status} ${JSON.stringify(body)}`);
      assert.ok(validator.hasRoute(step.method, step.template), 'route is in the description');
      if (status !== 204) assert.deepEqual(validator.errors(step.method, step.template, status, body), []);
      step.keep?.(body);
      covered.add(`${step.method} ${step.template}`);
    });
  }

  it('validates every message of every readable channel and thread of the demo server', async () => {
    let checked = 0;
    for (const channelId of emu.world.readableChannelIds(s.g)) {
      for (let before = ''; ; ) {
        const res = await api(emu, `/channels/${channelId}/messages?limit=100${before}`);
        assert.deepEqual(validator.errors('GET', '/channels/{channel_id}/messages', 200, res.body), [], channelId);
        checked += res.body.length;
        if (res.body.length < 100) break;
        before = `&before=${res.body[res.body.length - 1].id}`;
      }
    }
    assert.ok(checked > 2500, `${checked} messages`);
  });

  it('called every route the emulator serves', () => {
    const missing = apiRoutes().map((r) => `${r.method} ${r.template}`).filter((r) => !covered.has(r));
    assert.deepEqual(missing, []);
  });
});

describe('emulator: error bodies validate against Discord’s error schemas', () => {
  let emu: Emulator;
  let validator: ResponseValidator;
  before(async () => {
    validator = new ResponseValidator();
    emu = await startEmulator({ seed: 17, size: 'small', rateLimits: false, botPermissions: 0n });
  });
  after(() => emu.close());

  it('401, 403 50001/50013, 404 10xxx, 400 50035 with an errors tree, and 429', async () => {
    const g = emu.guildIds[0];
    const general = channelNamed(emu, 'general').id;
    const cases: Array<[string, string, () => Promise<{ status: number; body: unknown }>, number]> = [
      ['GET', '/users/@me', () => api(emu, '/users/@me', { token: 'bad' }), 401],
      ['GET', '/channels/{channel_id}/messages', () => api(emu, `/channels/${channelNamed(emu, 'secret-santa').id}/messages`), 403],
      ['GET', '/guilds/{guild_id}/bans', () => api(emu, `/guilds/${g}/bans`), 403],
      ['GET', '/guilds/{guild_id}/roles/{role_id}', () => api(emu, `/guilds/${g}/roles/111111111111111111`), 404],
      ['GET', '/channels/{channel_id}/messages', () => api(emu, `/channels/${general}/messages?limit=500`), 400],
      ['POST', '/channels/{channel_id}/messages', () => api(emu, `/channels/${general}/messages`, { method: 'POST', body: { content: 'x'.repeat(2001), embeds: 'no' } }), 400],
    ];
    emu.faults.rateLimit({ route: '/guilds/{guild_id}', scope: 'user' });
    cases.push(['GET', '/guilds/{guild_id}', () => api(emu, `/guilds/${g}`), 429]);
    for (const [method, template, call, expected] of cases) {
      const res = await call();
      assert.equal(res.status, expected, `${method} ${template}`);
      assert.deepEqual(validator.errors(method, template, res.status, res.body), [], `${method} ${template} ${res.status}`);
    }
  });
});
