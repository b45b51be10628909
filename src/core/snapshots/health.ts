import type { DiscordClient } from '../discord/discordClient';
import { describeError, GuildVaultError } from '../errors';
import { endsJob } from '../job';
import { botAccessFrom, botAccessWithoutMember, guildPermissionsFromGuildList, memberUnreadable, type BotAccess } from './botAccess';
import { hasPermission, PermissionFlagsBits, permissionNames } from './permissions';
import { compareRoles } from './render/names';
import { isCategory } from '../discord/channelKinds';
import { channelLabel } from '../discord/channelLabel';
import { BOT_PERMISSIONS } from '../discord/botPermissions';
import { formatCount, nounFor, plural } from '../text';

type Json = Record<string, unknown>;

export type HealthSeverity = 'error' | 'warning' | 'info';

export interface HealthProblem {
  severity: HealthSeverity;
  /** Stable id front ends may key on: "permission:BAN_MEMBERS", "intent:message-content", "roles-above-bot", ... */
  id: string;
  /** What is missing: "no BAN_MEMBERS permission". */
  what: string;
  /** What it costs the backup: "bans are not backed up". */
  cost: string;
  /** How to fix it. */
  fix: string;
}

/** enabled: the full flag; limited: the _LIMITED flag (on, for bots in fewer than 100 servers); unknown: the application could not be read. */
export type IntentState = 'enabled' | 'limited' | 'disabled' | 'unknown';

export interface HealthReport {
  guildId: string;
  guildName: string;
  botId: string;
  botName: string;
  isOwner: boolean;
  /** Server-wide permission names the bot has (every one for an administrator or owner). */
  permissions: string[];
  intents: { messageContent: IntentState; guildMembers: IntentState };
  /** The bot's highest role, and whether one of its roles is its own (managed by its integration). */
  highestRoleId?: string;
  hasOwnRole: boolean;
  /** Channels the bot cannot see, or can see but not read the history of. */
  /** `name` as channelLabel writes it: "#general", "Lounge" (voice). */
  hiddenChannels: { id: string; name: string }[];
  noHistoryChannels: { id: string; name: string }[];
  problems: HealthProblem[];
}

const ROLE_SETTINGS_FIX = "Server Settings > Roles > the bot's role: turn the permission on (or re-invite the bot with it).";

/**
 * Which permissions and intents the bot lacks in a server, and what each costs
 * the backup. Permissions are computed from the bot's member roles the way
 * Discord computes them (owner, @everyone, roles, ADMINISTRATOR, then channel
 * overwrites per channel).
 */
export async function checkHealth(client: DiscordClient, guildId: string, options: { signal?: AbortSignal } = {}): Promise<HealthReport> {
  const signal = options.signal;
  const me = await client.get<Json>('/users/@me', { signal });
  const botId = String(me.id);
  const [guild, member, channels, intents] = await Promise.all([
    client.get<Json>(`/guilds/${guildId}`, { signal }),
    client.get<Json>(`/guilds/${guildId}/members/${botId}`, { signal }).catch((error: unknown) => {
      if (!memberUnreadable(error)) throw error;
      return { unreadable: describeError(error) };
    }),
    client.get<Json[]>(`/guilds/${guildId}/channels`, { signal }).catch((error) => tolerate(error, [] as Json[])),
    readIntents(client, signal),
  ]);
  if (intents.guildMembers === 'unknown') intents.guildMembers = await probeMembersIntent(client, guildId, signal);
  const roles = ((guild.roles as Json[] | undefined) ?? []).map((role) => ({ ...role, id: String(role.id) }));
  // Without its member object the bot's roles are unknown: its server-wide permissions come from its server list.
  const unreadable = typeof member.unreadable === 'string' ? member.unreadable : undefined;
  const access = unreadable ? botAccessWithoutMember(guild, botId, (await guildPermissionsFromGuildList(client, guildId, signal)) ?? 0n) : botAccessFrom(guild, botId, member);
  const memberRoles = access.roleIds;
  const isOwner = access.isOwner;
  const base = access.base;
  const report: HealthReport = {
    guildId,
    guildName: String(guild.name),
    botId,
    botName: String(me.username),
    isOwner,
    permissions: permissionNames(base),
    intents,
    hasOwnRole: false,
    hiddenChannels: [],
    noHistoryChannels: [],
    problems: [],
  };
  for (const need of BOT_PERMISSIONS) {
    if (hasPermission(base, need.flag)) continue;
    const name = permissionNames(need.flag)[0];
    report.problems.push({ severity: need.severity, id: `permission:${name}`, what: `no ${name} permission`, cost: need.cost, fix: ROLE_SETTINGS_FIX });
  }
  if (unreadable) {
    report.problems.push({
      severity: 'warning',
      id: 'member:unreadable',
      what: `the bot's own member could not be read (${unreadable})`,
      cost: 'its roles are unknown: permissions shown are server-wide, channel overwrites for its roles are not applied, and a backup tries every channel',
      fix: 'Run it again later; if it persists, check that the bot is still in the server.',
    });
  }
  addIntentProblems(report);
  addRoleProblems(report, roles, memberRoles, botId);
  addChannelProblems(report, channels, access);
  return report;
}

/** Discord's application flags for the privileged intents: the full flag, or _LIMITED for a bot in fewer than 100 servers. */
const INTENT_FLAGS = {
  messageContent: { full: 1 << 19, limited: 1 << 18 },
  guildMembers: { full: 1 << 15, limited: 1 << 14 },
} as const;

/**
 * The intents, from the application's flags (GET /applications/@me). When that
 * call fails (a proxy that does not serve it, a hiccup), both are 'unknown' and
 * the caller probes what it can; only what ends a job (endsJob: a cancel, a rejected token...) fails the check.
 */
async function readIntents(client: DiscordClient, signal: AbortSignal | undefined): Promise<HealthReport['intents']> {
  try {
    const app = await client.get<Json>('/applications/@me', { signal });
    const flags = Number(app.flags ?? 0);
    const state = ({ full, limited }: { full: number; limited: number }): IntentState => (flags & full ? 'enabled' : flags & limited ? 'limited' : 'disabled');
    return { messageContent: state(INTENT_FLAGS.messageContent), guildMembers: state(INTENT_FLAGS.guildMembers) };
  } catch (error) {
    if (signal?.aborted || endsJob(error)) throw error;
    return { messageContent: 'unknown', guildMembers: 'unknown' };
  }
}

/** Without the application's flags, one member listed tells whether the Server Members intent is on (403 50001 if not). */
async function probeMembersIntent(client: DiscordClient, guildId: string, signal: AbortSignal | undefined): Promise<IntentState> {
  try {
    await client.get(`/guilds/${guildId}/members`, { query: { limit: 1 }, signal });
    return 'enabled';
  } catch (error) {
    if (error instanceof GuildVaultError && error.code === 'MISSING_ACCESS') return 'disabled';
    return tolerate(error, 'unknown' as IntentState);
  }
}

/** Permission and not-found answers degrade the report; anything else (token, network, cancel) fails it. */
function tolerate<T>(error: unknown, fallback: T): T {
  if (error instanceof GuildVaultError && ['MISSING_PERMISSION', 'MISSING_ACCESS', 'UNKNOWN_RESOURCE'].includes(error.code)) return fallback;
  throw error;
}

/** What each privileged intent buys the backup. */
const INTENTS: { key: keyof HealthReport['intents']; id: string; name: string; severity: HealthSeverity; cost: string }[] = [
  {
    key: 'messageContent',
    id: 'intent:message-content',
    name: 'Message Content',
    severity: 'error',
    cost: 'message text, embeds, attachments and components come back empty and are archived as missing',
  },
  { key: 'guildMembers', id: 'intent:guild-members', name: 'Server Members', severity: 'warning', cost: 'member role assignments are not backed up' },
];

function addIntentProblems(report: HealthReport): void {
  const portal = 'Discord Developer Portal > your application > Bot > Privileged Gateway Intents: turn it on.';
  for (const intent of INTENTS) {
    const state = report.intents[intent.key];
    if (state === 'disabled') {
      report.problems.push({ severity: intent.severity, id: intent.id, what: `the ${intent.name} intent is off`, cost: intent.cost, fix: portal });
    } else if (state === 'limited') {
      // On, as for every unverified bot: it works until the bot is in 100 servers.
      report.problems.push({
        severity: 'info',
        id: `${intent.id}-limited`,
        what: `the ${intent.name} intent is on in its limited form (bots in fewer than 100 servers)`,
        cost: `nothing while the bot is in fewer than 100 servers; from 100 on, until Discord verifies the bot and approves the intent, ${intent.cost}`,
        fix: 'Keep the bot in fewer than 100 servers, or apply for verification and the intent in the Developer Portal (App Verification).',
      });
    }
  }
}

/** The seed's edge cases: a bot with no role, with no role of its own, or below roles it would have to restore. */
function addRoleProblems(report: HealthReport, roles: (Json & { id: string })[], memberRoles: string[], botId: string): void {
  const byId = new Map(roles.map((role) => [role.id, role]));
  const own = memberRoles.map((id) => byId.get(id)).filter((role) => role && (role.tags as Json | undefined)?.bot_id === botId);
  report.hasOwnRole = own.length > 0;
  const ranked = memberRoles.filter((id) => byId.has(id)).sort((a, b) => compareRoles(byId.get(a), byId.get(b), a, b));
  report.highestRoleId = ranked[0];
  if (ranked.length === 0) {
    report.problems.push({
      severity: 'warning',
      id: 'no-bot-role',
      what: 'the bot has no role: its permissions come from @everyone alone',
      cost: 'it has no place in the role hierarchy, so a restore could not manage any role (backups still work with what @everyone allows)',
      fix: 'Give the bot a role near the top of Server Settings > Roles, or re-invite it with permissions so Discord creates its own role.',
    });
    return;
  }
  if (!report.hasOwnRole) {
    const highest = byId.get(ranked[0])!;
    report.problems.push({
      severity: 'info',
      id: 'no-own-role',
      what: `the bot has no role of its own; its permissions come from @${String(highest.name)}`,
      cost: 'if that role is deleted or edited the bot loses its permissions and its place in the hierarchy',
      fix: 'Re-invite the bot with permissions (Discord then creates a managed role for it), or keep that role reserved for bots.',
    });
  }
  if (report.isOwner) return;
  const top = byId.get(ranked[0]);
  const above = roles.filter((role) => role.id !== report.guildId && compareRoles(role, top, role.id, ranked[0]) < 0);
  if (above.length > 0) {
    report.problems.push({
      severity: 'info',
      id: 'roles-above-bot',
      what: `${plural(above.length, 'role')} ${nounFor(above.length, 'sits', 'sit')} above the bot's highest role @${String(top?.name)}`,
      cost: 'a restore could not edit, reorder or assign those roles (backups are unaffected)',
      fix: "Drag the bot's role to the top in Server Settings > Roles before restoring.",
    });
  }
}

function addChannelProblems(report: HealthReport, channels: Json[], access: BotAccess): void {
  const base = access.base;
  for (const channel of channels) {
    if (isCategory(Number(channel.type))) continue; // categories hold no messages
    const bits = access.in(channel);
    const entry = { id: String(channel.id), name: channelLabel({ name: String(channel.name), type: Number(channel.type) }) };
    if (!hasPermission(bits, PermissionFlagsBits.ViewChannel)) report.hiddenChannels.push(entry);
    else if (!hasPermission(bits, PermissionFlagsBits.ReadMessageHistory)) report.noHistoryChannels.push(entry);
  }
  const list = (entries: { name: string }[]) => entries.slice(0, 5).map((c) => c.name).join(', ') + (entries.length > 5 ? `, and ${formatCount(entries.length - 5)} more` : '');
  if (report.hiddenChannels.length && hasPermission(base, PermissionFlagsBits.ViewChannel)) {
    report.problems.push({
      severity: 'warning',
      id: 'hidden-channels',
      what: `${plural(report.hiddenChannels.length, 'channel')} ${nounFor(report.hiddenChannels.length, 'is', 'are')} hidden from the bot: ${list(report.hiddenChannels)}`,
      cost: 'their messages and threads are not backed up',
      fix: "Allow View Channel for the bot's role in each channel's permissions (or on its category).",
    });
  }
  if (report.noHistoryChannels.length && hasPermission(base, PermissionFlagsBits.ReadMessageHistory)) {
    report.problems.push({
      severity: 'warning',
      id: 'no-history-channels',
      what: `${plural(report.noHistoryChannels.length, 'channel')} ${nounFor(report.noHistoryChannels.length, 'denies', 'deny')} the bot Read Message History: ${list(report.noHistoryChannels)}`,
      cost: 'their message history and archived threads are not backed up',
      fix: "Allow Read Message History for the bot's role in those channels.",
    });
  }
}
