import { stripSignature } from '../media';
import { imageExtension, stickerExtension } from '../discord/cdnFormats';

/** CDN addresses of the images messages point at by id (avatars, custom emoji, stickers). */
export function cdnUrls(cdnBaseUrl: string) {
  const base = cdnBaseUrl.replace(/\/+$/, '');
  return {
    avatar: (userId: string, hash: string) => `${base}/avatars/${userId}/${hash}.${imageExtension(hash)}`,
    emoji: (emojiId: string, animated: boolean) => `${base}/emojis/${emojiId}.${animated ? 'gif' : 'png'}`,
    sticker: (stickerId: string, formatType: number | undefined) => `${base}/stickers/${stickerId}.${stickerExtension(formatType)}`,
    strip: stripSignature,
  };
}
