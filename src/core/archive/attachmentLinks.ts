import type { APIMessage } from 'discord-api-types/v10';
import type { DiscordClient } from '../discord';
import type { MediaRef } from '../media';
import type { Vault } from '../vault';

/**
 * Fresh signed links for attachments, for the media downloader: Discord's
 * attachment URLs expire (about a day), and a backup that resumes later, or
 * a vault whose downloads failed, holds expired ones. Reading the message
 * again (GET /channels/{channel.id}/messages/{message.id}) returns its
 * attachments with new signatures. Other references are not signed: no link.
 */
export function attachmentLinkRefresher(vault: Vault, client: DiscordClient, signal?: AbortSignal): (ref: MediaRef) => Promise<string | undefined> {
  const locate = vault.db.prepare('SELECT CAST(a.message_id AS TEXT) AS messageId, CAST(m.channel_id AS TEXT) AS channelId FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?');
  return async (ref) => {
    if (ref.ownerKind !== 'attachment') return undefined;
    const where = locate.get(ref.ownerId) as { messageId: string; channelId: string } | undefined;
    if (!where) return undefined;
    const message = await client.get<APIMessage>(`/channels/${where.channelId}/messages/${where.messageId}`, { signal });
    return message.attachments?.find((attachment) => attachment.id === ref.ownerId)?.url;
  };
}
