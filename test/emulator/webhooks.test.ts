/**
 * Execute Webhook as Discord documents it, the way a migration uses it:
 * allowed_mentions, silent flags, multipart files within the upload limit of
 * the server's boost tier, thread_id and thread_name, and the per-channel
 * limit on webhook messages that no header announces.
 */
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../src/emulator';
import { api, channelNamed } from './helpers';

async function hookIn(emu: Emulator, channelId: string): Promise<string> {
  const made = await api(emu, `/channels/${channelId}/webhooks`, { method: 'POST', body: { name: 'Shuttle' } });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  return `/webhooks/${made.body.id}/${made.body.token}`;
}

function multipart(payload: unknown, files: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> }>): FormData {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(payload));
  files.forEach((f, i) => form.append(`files[${i}]`, new Blob([f.bytes]), f.name));
  return form;
}

describe('emulator: Execute Webhook', () => {
  let emu: Emulator;
  afterEach(() => emu?.close());

  it('allowed_mentions decides who is mentioned: parse [] pings nobody, the text stays', async () => {
    emu = await startEmulator({ seed: 41, size: 'small', rateLimits: false });
    const general = channelNamed(emu, 'general');
    const hook = await hookIn(emu, general.id);
    const guild = emu.world.guild(emu.guildIds[0]!)!;
    const user = [...guild.members.keys()].find((id) => id !== emu.botUserId)!;
    const role = [...guild.roles.values()].find((r) => r.name === 'Member')!.id;
    const content = `hi <@${user}> <@&${role}> @everyone`;
    const all = await api(emu, `${hook}?wait=true`, { method: 'POST', token: null, body: { content } });
    assert.deepEqual([all.body.mentions.map((u: { id: string }) => u.id), all.body.mention_roles, all.body.mention_everyone], [[user], [role], true]);
    const none = await api(emu, `${hook}?wait=true`, { method: 'POST', token: null, body: { content, allowed_mentions: { parse: [] }, flags: 4096 } });
    assert.deepEqual([none.body.content, none.body.mentions, none.body.mention_roles, none.body.mention_everyone, none.body.flags], [content, [], [], false, 4096]);
    const listed = await api(emu, `${hook}?wait=true`, { method: 'POST', token: null, body: { content, allowed_mentions: { users: [user] } } });
    assert.deepEqual([listed.body.mentions.length, listed.body.mention_roles, listed.body.mention_everyone], [1, [], false]);
    const both = await api(emu, `${hook}?wait=true`, { method: 'POST', token: null, body: { content, allowed_mentions: { parse: ['users'], users: [user] } } });
    assert.equal(both.status, 400);
    assert.equal(both.body.code, 50035);
  });

  it('takes files as multipart within the boost tier\'s upload limit (413 above it), the same bytes served back', async () => {
    emu = await startEmulator({ seed: 42, size: 'small', rateLimits: false });
    const general = channelNamed(emu, 'general');
    const hook = await hookIn(emu, general.id);
    const bytes = new Uint8Array(1000).map((_, i) => i % 251);
    const res = await fetch(`${emu.apiBaseUrl}/v10${hook}?wait=true`, { method: 'POST', body: multipart({ content: 'files', attachments: [{ id: 0, filename: 'data.bin' }] }, [{ name: 'data.bin', bytes }]) });
    const message = (await res.json()) as { attachments: Array<{ url: string; size: number; filename: string }> };
    assert.equal(res.status, 200);
    assert.equal(message.attachments[0]!.size, 1000);
    assert.deepEqual(new Uint8Array(await (await fetch(message.attachments[0]!.url)).arrayBuffer()), bytes);

    const guild = emu.world.guild(emu.guildIds[0]!)!;
    guild.guild.premium_tier = 0;
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    const refused = await fetch(`${emu.apiBaseUrl}/v10${hook}?wait=true`, { method: 'POST', body: multipart({ content: 'too big' }, [{ name: 'big.bin', bytes: big }]) });
    assert.equal(refused.status, 413);
    assert.equal(((await refused.json()) as { code: number }).code, 40005);
    guild.guild.premium_tier = 2; // 50 MiB
    const allowed = await fetch(`${emu.apiBaseUrl}/v10${hook}?wait=true`, { method: 'POST', body: multipart({ content: 'fits at tier 2' }, [{ name: 'big.bin', bytes: big }]) });
    assert.equal(allowed.status, 200);
  });

  it('posts into a thread with thread_id; opens a forum post with thread_name and its tags; refuses thread_name elsewhere', async () => {
    emu = await startEmulator({ seed: 43, size: 'small', rateLimits: false });
    const ideas = channelNamed(emu, 'ideas');
    const forumHook = await hookIn(emu, ideas.id);
    const tag = ideas.available_tags![0]!.id;
    const post = await api(emu, `${forumHook}?wait=true`, { method: 'POST', token: null, body: { content: 'first', thread_name: 'A post', applied_tags: [tag] } });
    assert.equal(post.status, 200, JSON.stringify(post.body));
    const thread = emu.world.guild(emu.guildIds[0]!)!.threads.get(post.body.channel_id)!;
    assert.deepEqual([thread.name, thread.parent_id, thread.applied_tags, post.body.id], ['A post', ideas.id, [tag], thread.id]);
    const second = await api(emu, `${forumHook}?wait=true&thread_id=${thread.id}`, { method: 'POST', token: null, body: { content: 'second' } });
    assert.equal(second.body.channel_id, thread.id);
    const noName = await api(emu, `${forumHook}?wait=true`, { method: 'POST', token: null, body: { content: 'where?' } });
    assert.deepEqual([noName.status, noName.body.code], [400, 220001]);
    const general = channelNamed(emu, 'general');
    const textHook = await hookIn(emu, general.id);
    const wrong = await api(emu, `${textHook}?wait=true`, { method: 'POST', token: null, body: { content: 'x', thread_name: 'nope' } });
    assert.deepEqual([wrong.status, wrong.body.code], [400, 220003]);
    const gone = await api(emu, `${textHook}?wait=true&thread_id=123456789012345678`, { method: 'POST', token: null, body: { content: 'x' } });
    assert.deepEqual([gone.status, gone.body.code], [404, 10003]);
  });

  it('answers the 31st webhook message in a minute in one channel with a shared 429, whatever the webhook; other channels go on', async () => {
    emu = await startEmulator({ seed: 44, size: 'small', rateLimits: { globalPerSecond: 1000 } });
    const general = channelNamed(emu, 'general');
    const hooks = [await hookIn(emu, general.id), await hookIn(emu, general.id)];
    for (let i = 0; i < 30; i++) {
      // Two webhooks, each within its own bucket of 5 per 2 s only thanks to the pause.
      if (i > 0 && i % 10 === 0) await new Promise((r) => setTimeout(r, 2100));
      const res = await api(emu, `${hooks[i % 2]}?wait=true`, { method: 'POST', token: null, body: { content: `m${i}` } });
      assert.equal(res.status, 200, `message ${i}: ${JSON.stringify(res.body)}`);
    }
    await new Promise((r) => setTimeout(r, 2100));
    const refused = await api(emu, `${hooks[0]}?wait=true`, { method: 'POST', token: null, body: { content: 'one too many' } });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('x-ratelimit-scope'), 'shared');
    assert.ok(refused.body.retry_after > 40 && refused.body.retry_after <= 60, String(refused.body.retry_after));
    const other = await hookIn(emu, channelNamed(emu, 'off-topic').id);
    assert.equal((await api(emu, `${other}?wait=true`, { method: 'POST', token: null, body: { content: 'elsewhere' } })).status, 200);
  });
});
