import { isSnowflake, SNOWFLAKE_PATTERN as SNOWFLAKE } from '../discord/snowflake';
import type { NodeType } from './types';
import { OverwriteType } from 'discord-api-types/v10';

type Json = Record<string, unknown>;

/**
 * The shape every node of a snapshot file must have before it joins a chain:
 * its key spells its ids the way the capture writes them, its data is an
 * object whose own ids agree with the key, and every id in it is a
 * snowflake. A file is a stranger's input: an id like `../members/1/roles/2`
 * would later be spelled into a request's URL.
 */
const KEY_PATTERNS: Record<NodeType, RegExp> = {
  guild: new RegExp(`^${SNOWFLAKE}$`),
  role: new RegExp(`^${SNOWFLAKE}$`),
  role_order: /^roles$/,
  channel: new RegExp(`^${SNOWFLAKE}$`),
  overwrite: new RegExp(`^(${SNOWFLAKE})/(${SNOWFLAKE})$`),
  thread: new RegExp(`^(${SNOWFLAKE})/(public|private)/(${SNOWFLAKE})$`),
  member: new RegExp(`^${SNOWFLAKE}$`),
  ban: new RegExp(`^${SNOWFLAKE}$`),
  emoji: new RegExp(`^${SNOWFLAKE}$`),
  sticker: new RegExp(`^${SNOWFLAKE}$`),
  scheduled_event: new RegExp(`^${SNOWFLAKE}$`),
  automod_rule: new RegExp(`^${SNOWFLAKE}$`),
  webhook: new RegExp(`^${SNOWFLAKE}$`),
  welcome_screen: /^welcome_screen$/,
  onboarding: /^onboarding$/,
  soundboard_sound: new RegExp(`^${SNOWFLAKE}$`),
};

/** Returns what is wrong with one node, or undefined when it is well formed. */
export function nodeProblem(type: NodeType, key: string, data: unknown, guildId: string): string | undefined {
  const keyMatch = KEY_PATTERNS[type].exec(key);
  if (!keyMatch) return `its key is not a ${type} id`;
  if (!isObject(data)) return `it is ${describe(data)}, not an object`;
  const idProblem = badIds(data, '');
  if (idProblem) return idProblem;
  const expect = (ok: boolean, what: string) => (ok ? undefined : what);
  switch (type) {
    case 'guild':
      return expect(key === guildId && data.id === key, 'it is not the file\'s server') ?? expect(typeof data.name === 'string', 'it has no name');
    case 'role':
      return expect(data.id === key, 'its id differs from its key') ?? expect(typeof data.name === 'string', 'its name is not text') ?? expect(isBits(data.permissions), 'its permissions are not a number string');
    case 'role_order':
      return expect(Array.isArray(data.ids) && data.ids.every(isSnowflake), 'its ids are not a list of role ids');
    case 'channel':
      return expect(data.id === key, 'its id differs from its key') ?? expect(typeof data.name === 'string', 'its name is not text') ?? expect(Number.isInteger(data.type), 'its type is not a number');
    case 'overwrite':
      return (
        expect(data.channel_id === keyMatch[1] && data.id === keyMatch[2], 'its channel and target differ from its key') ??
        expect(data.type === OverwriteType.Role || data.type === OverwriteType.Member, 'its type is neither role (0) nor member (1)') ??
        expect(isBits(data.allow) && isBits(data.deny), 'its allow/deny are not number strings')
      );
    case 'thread':
      return expect(data.parent_id === keyMatch[1] && data.id === keyMatch[3], 'its channel and id differ from its key') ?? expect(typeof data.name === 'string', 'its name is not text') ?? expect(Number.isInteger(data.type), 'its type is not a number');
    case 'member':
      return expect(isObject(data.user) && data.user.id === key, 'its user differs from its key') ?? expect(isIdList(data.roles), 'its roles are not a list of role ids');
    case 'ban':
      return expect(isObject(data.user) && data.user.id === key, 'its user differs from its key');
    case 'emoji':
      return expect(typeof data.name === 'string', 'its name is not text') ?? expect(data.id === key, 'its id differs from its key') ?? expect(data.roles === undefined || isIdList(data.roles), 'its roles are not a list of role ids');
    case 'sticker':
    case 'soundboard_sound':
      return expect(typeof data.name === 'string', 'its name is not text') ?? expect(data.id === undefined || data.id === key || (type === 'soundboard_sound' && data.sound_id === key), 'its id differs from its key');
    case 'scheduled_event':
    case 'automod_rule':
    case 'webhook':
      return expect(data.id === key, 'its id differs from its key');
    default:
      return undefined; // welcome_screen, onboarding: singletons whose ids were checked above
  }
}

/** Any `id`, `*_id` or `*_ids` value anywhere in the node that is not a snowflake. */
function badIds(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = badIds(item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [key, field] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if ((key === 'id' || key.endsWith('_id')) && field !== null && field !== undefined && !isSnowflake(field)) return `${at} is not a Discord id`;
    if (key.endsWith('_ids') && field !== null && field !== undefined && !(Array.isArray(field) && field.every(isSnowflake))) return `${at} is not a list of Discord ids`;
    const problem = badIds(field, at);
    if (problem) return problem;
  }
  return undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIdList(value: unknown): boolean {
  return Array.isArray(value) && value.every(isSnowflake);
}

function isBits(value: unknown): boolean {
  return typeof value === 'string' && /^\d{1,20}$/.test(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}
