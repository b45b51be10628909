import { stripSignature } from '../media';

/** CDN addresses of the images messages point at by id (avatars, custom emoji, stickers). */
export function cdnUrls(cdnBaseUrl: string) {
  const base = cdnBaseUrl.replace(/\/+$/, '');
  return {
    avatar: (userId: string, hash: string) => `${base}/avatars/${userId}/${hash}.${hash.startsWith('a_') ? 'gif' : 'png'}`,
    emoji: (emojiId: string, animated: boolean) => `${base}/emojis/${emojiId}.${animated ? 'gif' : 'png'}`,
    // Sticker format types: 1 PNG, 2 APNG, 3 LOTTIE (JSON), 4 GIF.
    sticker: (stickerId: string, formatType: number | undefined) => `${base}/stickers/${stickerId}.${formatType === 3 ? 'json' : formatType === 4 ? 'gif' : 'png'}`,
    strip: stripSignature,
  };
}
