import { permissionNames } from '../permissions';
import type { NodeData } from '../types';
import { canonicalJson } from '../canonical';
import { type Names } from './names';
import { compareSnowflakes, isSnowflake } from '../../discord/snowflake';

/**
 * One property per line, `key: value`, keys sorted: a change to one property
 * is a one-line diff. Strings are JSON-quoted so newlines and trailing spaces
 * stay visible on one line; references are resolved to names with ids;
 * permission bitfields become permission names; known enums get their name.
 */

const ENUMS: Record<string, readonly string[]> = {
  verification_level: ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH'],
  default_message_notifications: ['ALL_MESSAGES', 'ONLY_MENTIONS'],
  explicit_content_filter: ['DISABLED', 'MEMBERS_WITHOUT_ROLES', 'ALL_MEMBERS'],
  mfa_level: ['NONE', 'ELEVATED'],
  nsfw_level: ['DEFAULT', 'EXPLICIT', 'SAFE', 'AGE_RESTRICTED'],
  premium_tier: ['NONE', 'TIER_1', 'TIER_2', 'TIER_3'],
  video_quality_mode: ['', 'AUTO', 'FULL'],
  default_sort_order: ['LATEST_ACTIVITY', 'CREATION_DATE'],
  default_forum_layout: ['NOT_SET', 'LIST_VIEW', 'GALLERY_VIEW'],
};

const PERMISSION_KEYS = new Set(['permissions', 'allow', 'deny']);

export function formatValue(key: string, value: unknown, names: Names): string {
  if (value === null || value === undefined) return 'null';
  if (PERMISSION_KEYS.has(key) && (typeof value === 'string' || typeof value === 'number')) {
    const list = permissionNames(String(value));
    return list.length ? list.join(', ') : '(none)';
  }
  if (isSnowflake(value)) {
    if (key.endsWith('channel_id')) return names.channel(value);
    if (key.endsWith('role_id')) return names.role(value);
    if (key === 'owner_id' || key === 'creator_id' || key.endsWith('user_id')) return names.user(value);
  }
  if (Array.isArray(value) && (key === 'roles' || key === 'exempt_roles' || key.endsWith('role_ids'))) {
    return value.length ? value.map(String).sort(compareSnowflakes).map((id) => names.role(id)).join(', ') : '(none)';
  }
  if (Array.isArray(value) && (key === 'exempt_channels' || key.endsWith('channel_ids'))) {
    return value.length ? value.map((id) => names.channel(String(id))).join(', ') : '(none)';
  }
  if ((key === 'color' || key === 'theme_color' || key.endsWith('_color')) && typeof value === 'number') return `#${value.toString(16).padStart(6, '0')}`;
  if (key === 'bot_id' && typeof value === 'string') return names.user(value);
  const labels = ENUMS[key];
  if (labels && typeof value === 'number' && labels[value]) return `${value} (${labels[value]})`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return canonicalJson(value);
  return String(value);
}

/**
 * Every property of `node` except `skip`, one `indent + key: value` line each, keys sorted. A
 * nested object (a role's `colors` and `tags`) gets its own indented lines, so a change to one of
 * its fields is one changed line, not a changed line of JSON.
 */
export function propertyLines(node: NodeData, skip: readonly string[], names: Names, indent: string): string[] {
  return Object.keys(node)
    .filter((key) => !skip.includes(key) && node[key] !== undefined)
    .sort()
    .flatMap((key) => {
      const value = node[key];
      if (isNestedObject(value)) {
        const inner = propertyLines(value as NodeData, [], names, `${indent}  `);
        return inner.length ? [`${indent}${key}:`, ...inner] : [`${indent}${key}: {}`];
      }
      return [`${indent}${key}: ${formatValue(key, value, names)}`];
    });
}

function isNestedObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
