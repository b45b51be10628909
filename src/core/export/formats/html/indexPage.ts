import type { ArchivedChannel } from '../../../archive/archivedChannels';
import { isCategory } from '../../../discord/channelKinds';
import { channelLabel } from '../../../discord/channelLabel';
import type { ExportPlan } from '../../exportPlan';
import type { ServerDirectory } from '../../serverDirectory';
import type { MediaMode } from '../../types';
import { escapeHtml, safeHref } from './escape';
import { pageEnd, pageStart, THEME_SWITCH } from './pageFrame';
import { formatCount, formatUtc, plural } from '../../../text';

/** index.html: the server, its categories, channels and threads, each linking to its pages. */
export function renderIndexPage(plan: ExportPlan, directory: ServerDirectory, media: MediaMode, exportedAt: string, messages: number): string {
  const exported = new Map(plan.channels.map((c) => [c.channel.id, c]));
  const children = new Map<string, ArchivedChannel[]>();
  for (const c of plan.all) {
    if (!c.parentId) continue;
    const list = children.get(c.parentId) ?? [];
    list.push(c);
    children.set(c.parentId, list);
  }
  // A channel shows when it, or a thread under it, was exported.
  const shows = (c: ArchivedChannel): boolean => exported.has(c.id) || (children.get(c.id) ?? []).some(shows);
  const item = (c: ArchivedChannel): string => {
    const plan = exported.get(c.id);
    const label = escapeHtml(`${c.isThread ? '🧵 ' : ''}${channelLabel(c)}`);
    let html = '<li>';
    html += plan ? `<a href="${escapeHtml(plan.parts[0]!.fileName)}">${label}</a><span class="count">${formatCount(c.messageCount)}</span>` : `<span>${label}</span>`;
    if (plan && plan.parts.length > 1) html += `<div class="months">${plan.parts.map((p) => `<a href="${escapeHtml(p.fileName)}">${escapeHtml(p.month ?? '')}</a>`).join('')}</div>`;
    const nested = (children.get(c.id) ?? []).filter((t) => t.isThread && shows(t));
    if (nested.length) html += `<ul>${nested.map(item).join('')}</ul>`;
    return `${html}</li>`;
  };
  const topLevel = plan.all.filter((c) => !c.isThread && !c.parentId && !isCategory(c.type) && shows(c));
  const categories = plan.all.filter((c) => isCategory(c.type) && shows(c));
  let body = pageStart(`${directory.guildName} - Guild Vault export`, media);
  const icon = safeHref(directory.guildIconUrl);
  body += `<header class="top">${icon ? `<span class="guild"><img src="${escapeHtml(icon)}" alt=""></span>` : ''}<h1>${escapeHtml(directory.guildName)}</h1><span class="spacer"></span>${THEME_SWITCH}</header>\n`;
  body += '<main class="index">\n';
  if (topLevel.length) body += `<ul>${topLevel.map(item).join('')}</ul>\n`;
  for (const category of categories) {
    const inside = (children.get(category.id) ?? []).filter((c) => !c.isThread && shows(c));
    body += `<h2>${escapeHtml(category.name)}</h2><ul>${inside.map(item).join('')}</ul>\n`;
  }
  // Threads whose parent is not archived (it was deleted, or is hidden) still get a home.
  const orphans = plan.all.filter((c) => c.isThread && shows(c) && !plan.all.some((p) => p.id === c.parentId));
  if (orphans.length) body += `<h2>Other threads</h2><ul>${orphans.map(item).join('')}</ul>\n`;
  body += `</main>\n<footer class="footer">${plural(messages, 'message')} in ${plural(plan.channels.length, 'channel and thread', 'channels and threads')} · exported ${escapeHtml(formatUtc(exportedAt))} by Guild Vault</footer>\n`;
  return body + pageEnd();
}
