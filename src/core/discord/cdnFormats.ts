import { StickerFormatType } from 'discord-api-types/v10';

/**
 * Which file Discord's CDN serves for an image hash or a sticker: the one
 * place the archive, snapshots, exports, restore and migration read it from.
 */

/** Discord prefixes the hash of an animated icon, avatar or banner with "a_". */
export function isAnimatedHash(hash: string): boolean {
  return hash.startsWith('a_');
}

/** "gif" for an animated image hash, "png" for the others. */
export function imageExtension(hash: string): 'gif' | 'png' {
  return isAnimatedHash(hash) ? 'gif' : 'png';
}

/** Lottie stickers are JSON animations, which only verified and partnered servers may upload. */
export function isLottieSticker(formatType: unknown): boolean {
  return Number(formatType) === StickerFormatType.Lottie;
}

/** The CDN file of a sticker: "json" (Lottie), "gif", else "png" (PNG and APNG). */
export function stickerExtension(formatType: unknown): 'json' | 'gif' | 'png' {
  if (isLottieSticker(formatType)) return 'json';
  return Number(formatType) === StickerFormatType.GIF ? 'gif' : 'png';
}
