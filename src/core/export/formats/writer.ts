import type { ExportPlan, ChannelPlan, ExportPart } from '../exportPlan';
import type { FileSink } from '../fileSink';
import type { ExportMessage, MessageReader } from '../messageReader';
import type { ServerDirectory } from '../serverDirectory';
import type { ExportOptions } from '../types';
import { MessageType } from 'discord-api-types/v10';

/** What a format writer knows while it writes one file. */
export interface PartContext {
  plan: ExportPlan;
  channelPlan: ChannelPlan;
  part: ExportPart;
  /** Index of the part in its channel (months), for navigation. */
  partIndex: number;
  directory: ServerDirectory;
  reader: MessageReader;
  options: ExportOptions;
  /** ISO time of this export run. */
  exportedAt: string;
}

/** One export format: a file per part, written message by message. */
export interface FormatWriter {
  extension: string;
  begin(sink: FileSink, context: PartContext): void;
  message(sink: FileSink, message: ExportMessage, context: PartContext, index: number): void;
  end(sink: FileSink, context: PartContext, count: number): void;
}

/** DCE's dates: ISO 8601 with an explicit UTC offset. */
export function dceDate(iso: string | null): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace('Z', '+00:00');
}

/** 'YYYY-MM-DD HH:MM' in UTC, for text and spreadsheets. */
export function shortDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 16);
}

/** DCE's channel type names. */
export function dceChannelType(type: number): string {
  return CHANNEL_TYPES[type] ?? String(type);
}

/** DCE's message type names. */
export function dceMessageType(type: number): string {
  return MESSAGE_TYPES[type] ?? String(type);
}

const CHANNEL_TYPES: Record<number, string> = {
  0: 'GuildTextChat',
  1: 'DirectTextChat',
  2: 'GuildVoiceChat',
  3: 'DirectGroupTextChat',
  4: 'GuildCategory',
  5: 'GuildNews',
  10: 'GuildNewsThread',
  11: 'GuildPublicThread',
  12: 'GuildPrivateThread',
  13: 'GuildStageVoice',
  14: 'GuildDirectory',
  15: 'GuildForum',
  16: 'GuildMedia',
};

const MESSAGE_TYPES: Record<number, string> = {
  0: 'Default',
  1: 'RecipientAdd',
  2: 'RecipientRemove',
  3: 'Call',
  4: 'ChannelNameChange',
  5: 'ChannelIconChange',
  6: 'ChannelPinnedMessage',
  7: 'GuildMemberJoin',
  8: 'GuildBoost',
  9: 'GuildBoostTier1',
  10: 'GuildBoostTier2',
  11: 'GuildBoostTier3',
  12: 'ChannelFollowAdd',
  18: 'ThreadCreated',
  19: 'Reply',
  20: 'ChatInputCommand',
  21: 'ThreadStarterMessage',
  23: 'ContextMenuCommand',
  46: 'PollResult',
};

/** What a system message says, for formats that show text ("joined the server"). */
export function systemMessageText(message: ExportMessage): string | undefined {
  switch (message.type) {
    case MessageType.ChannelPinnedMessage:
      return 'pinned a message to this channel.';
    case MessageType.UserJoin:
      return 'joined the server.';
    case MessageType.GuildBoost:
      return 'boosted the server!';
    case MessageType.ThreadCreated:
      return `started a thread: ${message.thread?.name ?? message.content}`;
    case MessageType.ThreadStarterMessage:
      return 'Thread starter message';
    default:
      return undefined;
  }
}
