import * as vscode from 'vscode';
import { GuildVaultError, Job, listArchivedChannels, type ArchivedChannel } from '../engine';
import { channelLabel, MONTHLY_TRANSCRIPT_THRESHOLD } from '../../presentation/channelText';
import { formatCount, plural } from '../../core/text';
import { readSettings } from '../settings/settings';
import type { ServerRef } from '../servers/server';
import type { Services } from '../services';
import { ChannelNode } from '../tree/nodes/channelNode';
import { registerCommand } from './registerCommand';
import { plainOptions, resolveServer } from './targets';
import { TreeNode } from '../tree/nodes/treeNode';

export interface TranscriptArgs {
  guildId: string;
  channelId: string;
  /** 'YYYY-MM'; omitted: the whole channel, or a month pick for big channels. */
  month?: string;
}

export function registerChannelCommands(services: Services): vscode.Disposable[] {
  return [registerCommand(services, 'guildVault.openTranscript', 'Open Transcript', (arg?: unknown) => openTranscript(services, arg))];
}

/**
 * Opens a channel's archive as a read-only transcript. Big channels open
 * month by month (a quick pick, newest first) so the editor stays fast.
 */
async function openTranscript(services: Services, arg: unknown): Promise<vscode.Uri | undefined> {
  const target = await resolveChannel(services, arg);
  if (!target) return undefined;
  const { server, channel } = target;
  let month = target.month;
  if (month === undefined && channel.messageCount > MONTHLY_TRANSCRIPT_THRESHOLD) {
    // A scan of the channel's messages: in a worker, off the extension host's thread.
    services.vaults.requireVault(server.guildId);
    const params = { guildId: server.guildId, channelId: channel.id };
    const months = await services.workers.run({ kind: 'transcriptMonths', vaultRoot: services.vaults.store().root, params }, undefined, new Job());
    if (months.length > 1) {
      const picked = await vscode.window.showQuickPick(
        [...months].reverse().map((entry) => ({ label: entry.month, description: plural(entry.messages, 'message'), month: entry.month })),
        { title: `Guild Vault: ${channelLabel(channel)} has ${formatCount(channel.messageCount)} messages: open which month?`, placeHolder: 'YYYY-MM, newest first' },
      );
      if (!picked) return undefined;
      month = picked.month;
    }
  }
  const aliases = readSettings().privacyAliases;
  const title = `${server.name} ${channelLabel(channel)}${month ? ` ${month}` : ''}`;
  const uri = services.documents.uriFor({ kind: 'transcript', guildId: server.guildId, channelId: channel.id, month, aliases, title });
  await vscode.window.showTextDocument(uri, { preview: true });
  return uri;
}

async function resolveChannel(services: Services, arg: unknown): Promise<{ server: ServerRef; channel: ArchivedChannel; month?: string } | undefined> {
  if (arg instanceof ChannelNode) return { server: arg.server, channel: arg.channel };
  // Another row ("Channels", a server): a pick among its channels.
  const args: Partial<TranscriptArgs> = arg instanceof TreeNode ? { guildId: serverOfNode(arg) } : plainOptions<TranscriptArgs>(arg);
  const server = await resolveServer(services, args.guildId, { needs: 'vault' });
  if (!server) return undefined;
  const all = services.vaults.readExisting(server.guildId, (vault) => listArchivedChannels(vault));
  const names = new Map(all.map((channel) => [channel.id, channelLabel(channel)]));
  const channels = all.filter((channel) => channel.messageCount > 0);
  if (args.channelId) {
    const channel = channels.find((candidate) => candidate.id === args.channelId);
    if (!channel) throw new GuildVaultError('NOT_FOUND', `Channel ${args.channelId} has no archived messages in ${server.name}'s vault.`, 'Back up the server, or pick another channel.');
    return { server, channel, month: args.month };
  }
  const picked = await vscode.window.showQuickPick(
    channels.map((channel) => {
      const parent = channel.parentId ? names.get(channel.parentId) : undefined;
      return { label: channelLabel(channel), description: `${parent ? `in ${parent} · ` : ''}${formatCount(channel.messageCount)} messages`, channel };
    }),
    { title: `Guild Vault: open a transcript of ${server.name}`, matchOnDescription: true },
  );
  return picked && { server, channel: picked.channel };
}

function serverOfNode(node: TreeNode): string | undefined {
  const server = (node as { server?: { guildId?: unknown } }).server;
  return typeof server?.guildId === 'string' ? server.guildId : undefined;
}
