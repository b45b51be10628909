/**
 * How a search hit reads, in the CLI and in VS Code's quick pick. Everything
 * in a hit came from Discord: names and text pass through plainText() before
 * they reach a terminal or a picker.
 */
import { channelLabel } from '../core/discord/channelLabel';
import type { SearchHit } from '../core/search';
import { plainText } from '../core/text';

/** Control characters (terminal escapes), line breaks and bidirectional marks become spaces (core/text). */
export { plainText };

/** "#general", or "Planning the picnic (thread in #general)". */
export function hitWhere(hit: SearchHit): string {
  const label = plainText(channelLabel({ name: hit.channelName, type: hit.channelType }));
  if (!hit.isThread) return label;
  const parent = hit.parentName !== undefined ? ` in ${plainText(channelLabel({ name: hit.parentName, type: hit.parentType ?? 0 }))}` : '';
  return `${label} (thread${parent})`;
}

/** "2024-03-10 14:05 UTC" */
export function hitTime(hit: SearchHit): string {
  return `${hit.timestamp.replace('T', ' ').slice(0, 16)} UTC`;
}

/** "pinned, edited, deleted on Discord", or ''. */
export function hitMarks(hit: SearchHit): string {
  return [hit.pinned ? 'pinned' : '', hit.edited ? 'edited' : '', hit.deleted ? 'deleted on Discord' : ''].filter(Boolean).join(', ');
}

/** The snippet as pieces of plain text, the highlights marked (for bold on a terminal). */
export function snippetPieces(hit: SearchHit): Array<{ text: string; marked: boolean }> {
  const pieces: Array<{ text: string; marked: boolean }> = [];
  let at = 0;
  for (const [from, to] of hit.highlights) {
    if (from < at) continue;
    pieces.push({ text: plainText(hit.snippet.slice(at, from)), marked: false }, { text: plainText(hit.snippet.slice(from, to)), marked: true });
    at = to;
  }
  pieces.push({ text: plainText(hit.snippet.slice(at)), marked: false });
  return pieces.filter((piece) => piece.text !== '');
}
