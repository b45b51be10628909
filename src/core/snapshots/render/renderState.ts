import { isPartial, isUnreadable, type NodeData, type NodeType, type StructureState } from '../types';
import { channelKindName, isCategory, isVoiceLike } from '../../discord/channelKinds';
import { compareSnowflakes } from '../../discord/snowflake';
import { compareRoles, Names, nameText } from './names';
import { formatValue, propertyLines } from './values';
import { OverwriteType } from 'discord-api-types/v10';
import { formatCount } from '../../text';

/** One part of the document; the multi-file diff view shows one file per section. */
export interface RenderedSection {
  /** Stable file-name-safe id: "settings", "roles", "channels", ... */
  id: string;
  title: string;
  text: string;
}

/**
 * The whole state as one stable text document: the same state always gives
 * the same bytes (everything is sorted by a total order), and a small change
 * gives a small diff (one property per line, no positions or counts that
 * shift when something else changes).
 */
export function renderState(state: StructureState): string {
  return renderSections(state)
    .map((section) => section.text)
    .join('\n');
}

export function renderSections(state: StructureState): RenderedSection[] {
  const names = new Names(state);
  return [
    section('settings', 'Settings', state, ['guild'], () => renderSettings(state, names)),
    section('roles', 'Roles', state, ['role', 'role_order'], () => renderRoles(state, names)),
    section('channels', 'Channels', state, ['channel', 'overwrite'], () => renderChannels(state, names)),
    section('threads', 'Threads', state, ['thread'], () => renderThreads(state, names)),
    section('members', 'Member roles', state, ['member'], () => renderMembers(state, names)),
    section('bans', 'Bans', state, ['ban'], () => renderBans(state, names)),
    section('emojis', 'Emojis', state, ['emoji'], () => renderSimple(state, 'emoji', names, (n) => `:${String(n.name)}:`)),
    section('stickers', 'Stickers', state, ['sticker'], () => renderSimple(state, 'sticker', names, (n) => String(n.name))),
    section('soundboard', 'Soundboard sounds', state, ['soundboard_sound'], () => renderSimple(state, 'soundboard_sound', names, (n) => String(n.name), ['sound_id'])),
    section('events', 'Scheduled events', state, ['scheduled_event'], () => renderSimple(state, 'scheduled_event', names, (n) => String(n.name))),
    section('automod', 'Auto-moderation rules', state, ['automod_rule'], () => renderSimple(state, 'automod_rule', names, (n) => String(n.name))),
    section('webhooks', 'Webhooks', state, ['webhook'], () => renderSimple(state, 'webhook', names, (n) => String(n.name))),
    section('welcome', 'Welcome screen', state, ['welcome_screen'], () => renderSingleton(state, 'welcome_screen', names)),
    section('onboarding', 'Onboarding', state, ['onboarding'], () => renderSingleton(state, 'onboarding', names)),
  ];
}

function section(id: string, title: string, state: StructureState, types: NodeType[], body: () => string[]): RenderedSection {
  const count = formatCount(state.nodes.get(types[0])?.size ?? 0);
  const lines = [`== ${title} (${count}) ==`, ...statusNotes(state, types), ...body()];
  return { id, title, text: `${lines.join('\n')}\n` };
}

/** "(bans: not captured in this snapshot: missing BAN_MEMBERS permission; shown as of #3, 2026-11-20)" */
function statusNotes(state: StructureState, types: NodeType[]): string[] {
  const notes: string[] = [];
  for (const type of types) {
    const status = state.status[type];
    if (status === undefined) notes.push(`(${type}: not captured: this snapshot predates it)`);
    else if (isPartial(status)) notes.push(`(${type}: partly captured in this snapshot: ${status.partial}; those are shown as of earlier snapshots)`);
    else if (isUnreadable(status)) {
      const asOf = status.asOfId !== undefined ? `; shown as of snapshot #${status.asOfId} (${(status.asOfDate ?? '').slice(0, 10)})` : '; none known';
      notes.push(`(${type}: not captured in this snapshot: ${status.unreadable}${asOf})`);
    }
  }
  return notes;
}

function byId(map: Map<string, NodeData> | undefined): [string, NodeData][] {
  return [...(map ?? new Map<string, NodeData>())].sort(([a], [b]) => compareSnowflakes(a, b));
}

function renderSettings(state: StructureState, names: Names): string[] {
  const guild = state.nodes.get('guild')?.get(state.guildId) ?? [...(state.nodes.get('guild')?.values() ?? [])][0];
  if (!guild) return [];
  return [`${nameText(guild.name)} (${String(guild.id ?? state.guildId)})`, ...propertyLines(guild, ['id', 'name'], names, '  ')];
}

function renderRoles(state: StructureState, names: Names): string[] {
  return rankedRoles(state).flatMap(([id, role]) => [names.role(id), ...propertyLines(role, ['id', 'name', 'position'], names, '  ')]);
}

/** Roles highest first: by the role order node; roles it does not list (or a state without one) by position, then id. */
export function rankedRoles(state: StructureState): [string, NodeData][] {
  const roles = state.nodes.get('role') ?? new Map<string, NodeData>();
  const order = (state.nodes.get('role_order')?.get('roles')?.ids as string[] | undefined) ?? [];
  const listed = order.filter((id) => roles.has(id));
  const rest = [...roles.keys()].filter((id) => !listed.includes(id)).sort((a, b) => compareRoles(roles.get(a), roles.get(b), a, b));
  return [...listed, ...rest].map((id) => [id, roles.get(id)!]);
}

function renderChannels(state: StructureState, names: Names): string[] {
  const channels = state.nodes.get('channel') ?? new Map<string, NodeData>();
  const overwrites = new Map<string, NodeData[]>();
  for (const overwrite of state.nodes.get('overwrite')?.values() ?? []) {
    const channelId = String(overwrite.channel_id);
    if (!overwrites.has(channelId)) overwrites.set(channelId, []);
    overwrites.get(channelId)!.push(overwrite);
  }
  const children = new Map<string, [string, NodeData][]>();
  for (const entry of channels) {
    const parent = isCategory(Number(entry[1].type)) ? '' : String(entry[1].parent_id ?? '');
    const key = parent && channels.has(parent) ? parent : '';
    if (!children.has(key)) children.set(key, []);
    children.get(key)!.push(entry);
  }
  const lines: string[] = [];
  const write = (id: string, channel: NodeData, indent: string) => {
    const type = channelKindName(Number(channel.type));
    lines.push(`${indent}${names.channel(id)} ${type}`);
    lines.push(...propertyLines(channel, ['id', 'name', 'type', 'position', 'parent_id'], names, `${indent}  `));
    lines.push(...overwriteLines(overwrites.get(id) ?? [], names, `${indent}  `));
  };
  // Uncategorized channels first, then categories with their channels, as Discord lists them.
  const top = (children.get('') ?? []).sort(compareChannels);
  for (const [id, channel] of top.filter(([, c]) => !isCategory(Number(c.type)))) write(id, channel, '');
  for (const [id, category] of top.filter(([, c]) => isCategory(Number(c.type)))) {
    write(id, category, '');
    for (const [childId, child] of (children.get(id) ?? []).sort(compareChannels)) write(childId, child, '  ');
  }
  return lines;
}

/** Text-like before voice-like, then by position, then by id (Discord's own sidebar order). */
function compareChannels([aId, a]: [string, NodeData], [bId, b]: [string, NodeData]): number {
  // Discord lists voice and stage channels below the text-like ones inside a category.
  const va = isVoiceLike(Number(a.type)) ? 1 : 0;
  const vb = isVoiceLike(Number(b.type)) ? 1 : 0;
  if (va !== vb) return va - vb;
  const pa = Number(a.position ?? 0);
  const pb = Number(b.position ?? 0);
  return pa !== pb ? pa - pb : compareSnowflakes(aId, bId);
}

/**
 * "allow @Moderators (123): MANAGE_MESSAGES, PIN_MESSAGES": @everyone first, then
 * roles, then members, each by id. Not by role rank: reordering roles would
 * then reshuffle the overwrite lines of every channel.
 */
function overwriteLines(overwrites: NodeData[], names: Names, indent: string): string[] {
  const sorted = [...overwrites].sort((a, b) => {
    const group = (o: NodeData) => (o.type === OverwriteType.Role && o.id === names.guildId ? 0 : o.type === OverwriteType.Role ? 1 : 2);
    if (group(a) !== group(b)) return group(a) - group(b);
    return compareSnowflakes(String(a.id), String(b.id));
  });
  const lines: string[] = [];
  for (const overwrite of sorted) {
    const target = overwrite.type === OverwriteType.Member ? `member ${names.user(String(overwrite.id))}` : names.role(String(overwrite.id));
    for (const side of ['allow', 'deny'] as const) {
      const value = formatValue(side, overwrite[side], names);
      if (value !== '(none)') lines.push(`${indent}${side} ${target}: ${value}`);
    }
    if (formatValue('allow', overwrite.allow, names) === '(none)' && formatValue('deny', overwrite.deny, names) === '(none)') {
      lines.push(`${indent}overwrite ${target}: (empty)`);
    }
  }
  return lines;
}

/** Threads grouped under their parent channel (forum and media posts included), oldest first. */
function renderThreads(state: StructureState, names: Names): string[] {
  const byParent = new Map<string, [string, NodeData][]>();
  for (const [nodeId, thread] of state.nodes.get('thread') ?? []) {
    const parent = String(thread.parent_id ?? nodeId.split('/')[0]);
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent)!.push([String(thread.id ?? nodeId.split('/').pop()), thread]);
  }
  const lines: string[] = [];
  for (const parent of [...byParent.keys()].sort(compareSnowflakes)) {
    lines.push(names.channel(parent));
    for (const [id, thread] of byParent.get(parent)!.sort(([a], [b]) => compareSnowflakes(a, b))) {
      const type = channelKindName(Number(thread.type));
      lines.push(`  ${JSON.stringify(String(thread.name))} (${id}) ${type}`);
      lines.push(...propertyLines(thread, ['id', 'name', 'type', 'parent_id'], names, '    '));
    }
  }
  return lines;
}

function renderMembers(state: StructureState, names: Names): string[] {
  return byId(state.nodes.get('member')).map(([id, member]) => {
    const nick = member.nick ? ` nick ${JSON.stringify(member.nick)}` : '';
    // Roles by id, not rank, so a role reorder leaves member lines alone.
    const roles = ((member.roles as string[] | undefined) ?? []).map(String).sort(compareSnowflakes);
    return `${names.user(id)}${nick}: ${roles.length ? roles.map((role) => names.role(role)).join(', ') : '(none)'}`;
  });
}

function renderBans(state: StructureState, names: Names): string[] {
  return byId(state.nodes.get('ban')).map(([id, ban]) => `${names.user(id)}: reason ${formatValue('reason', ban.reason, names)}`);
}

function renderSimple(state: StructureState, type: NodeType, names: Names, title: (node: NodeData) => string, skip: string[] = []): string[] {
  return byId(state.nodes.get(type)).flatMap(([id, node]) => [`${nameText(title(node))} (${id})`, ...propertyLines(node, ['id', 'name', ...skip], names, '  ')]);
}

function renderSingleton(state: StructureState, type: NodeType, names: Names): string[] {
  const node = state.nodes.get(type)?.get(type);
  return node ? propertyLines(node, [], names, '  ') : [];
}
