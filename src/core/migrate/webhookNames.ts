/**
 * Names Discord accepts for webhooks and the usernames they post under:
 * 1-80 characters, none of "discord" or "clyde" (any case), no "@", "#", ":"
 * or "```", and not "everyone" or "here". An archived display name may be
 * anything, so it is made acceptable while staying readable.
 */

/** The name of the webhook the migration creates in each target channel (and finds again on the next run). */
export const MIGRATION_WEBHOOK_NAME = 'Guild Vault Shuttle';

/** Words Discord refuses in these names, broken by a zero-width space (the case of the original kept). */
const FORBIDDEN_WORDS = /discord|clyde/gi;

export function webhookUsername(name: string): string {
  let out = name
    .replace(/```/g, "'''")
    .replace(/[@#:]/g, (c) => ({ '@': '＠', '#': '＃', ':': '：' })[c]!)
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim();
  out = out.replace(FORBIDDEN_WORDS, (word) => `${word.slice(0, 3)}\u200b${word.slice(3)}`);
  if (/^(everyone|here)$/i.test(out)) out = `${out}\u200b`;
  if (!out) out = 'Unknown user';
  const chars = [...out];
  return chars.length > 80 ? chars.slice(0, 80).join('') : out;
}
