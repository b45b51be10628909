import type { APIMessage } from 'discord-api-types/v10';
import { snowflakeAt } from '../../../src/core/discord';

/** A message as Discord's API returns it (only what the tests need; `extra` adds or overrides fields). */
export function apiMessage(channelId: string, at: number, n: number, extra: Record<string, unknown> = {}): APIMessage {
  const id = (BigInt(snowflakeAt(at)) + BigInt(n)).toString();
  return {
    id,
    channel_id: channelId,
    author: { id: '300000000000000001', username: 'alice', global_name: 'Alice', discriminator: '0', avatar: 'av1' },
    content: `message ${n}`,
    timestamp: new Date(at).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    ...extra,
  } as unknown as APIMessage;
}

/** A thread name a member chose, aimed at whatever shows it: markup, a link, a bidi override, a ping. */
export const HOSTILE_THREAD = '<script>alert(1)</script> ](javascript:alert(1)) \u202egnp.exe @everyone';
/** How a `<#id>` mention names that thread: without "#" (a thread), and without the override. */
export const HOSTILE_THREAD_SHOWN = '<script>alert(1)</script> ](javascript:alert(1)) gnp.exe @everyone';
