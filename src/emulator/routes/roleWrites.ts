/**
 * Role writes with Discord's hierarchy rules: the bot (unless it owns the guild)
 * manages only roles below its highest role, cannot move a role to or above it,
 * and cannot grant permissions it does not have. @everyone and managed roles
 * cannot be deleted.
 */
import type { APIRole } from 'discord-api-types/v10';
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, missingPermissions, unknown } from '../http/apiError';
import { field, parseArrayBody, parseBody } from '../http/body';
import type { RequestContext, Router } from '../http/router';
import type { GuildState } from '../world/model';
import { basePermissions, has, highestRolePosition } from '../world/permissions';
import { sortedRoles } from './present';
import { requireGuild, requireGuildPermission } from './access';
import { storeImage } from './images';

const roleShape = {
  name: field.string({ max: 100, nullable: true }),
  permissions: field.permissions({ nullable: true }),
  color: field.int({ min: 0, max: 0xffffff, nullable: true }),
  colors: field.object({ primary_color: field.int({ min: 0, max: 0xffffff }), secondary_color: field.int({ nullable: true }), tertiary_color: field.int({ nullable: true }) }, { nullable: true }),
  hoist: field.bool(),
  mentionable: field.bool(),
  icon: field.any(),
  unicode_emoji: field.string({ nullable: true }),
};

interface RoleBody {
  name?: string | null;
  permissions?: string | null;
  color?: number | null;
  colors?: { primary_color: number; secondary_color?: number | null; tertiary_color?: number | null } | null;
  hoist?: boolean;
  mentionable?: boolean;
  icon?: string | null;
  unicode_emoji?: string | null;
}

/** 403 50013 unless the bot may manage this role (strictly below its highest role, or it owns the guild). */
export function requireRoleBelowBot(ctx: RequestContext, guild: GuildState, role: APIRole): void {
  if (guild.guild.owner_id === ctx.world.bot.id) return;
  if (role.position >= highestRolePosition(guild, ctx.world.bot.id)) throw missingPermissions();
}

function requireGrantable(ctx: RequestContext, guild: GuildState, permissions: bigint): void {
  const own = basePermissions(guild, ctx.world.bot.id);
  if (has(own, P.Administrator)) return;
  if ((permissions & ~own) !== 0n) throw missingPermissions();
}

function applyRoleBody(ctx: RequestContext, guild: GuildState, role: APIRole, body: RoleBody): void {
  if (body.name !== undefined) role.name = body.name ?? 'new role';
  if (body.permissions !== undefined && body.permissions !== null) {
    const wanted = BigInt(body.permissions);
    // Only the bits that change need to be ones the bot has.
    requireGrantable(ctx, guild, wanted ^ BigInt(role.permissions));
    role.permissions = wanted.toString();
  }
  if (body.colors) {
    role.color = body.colors.primary_color;
    (role as { colors: unknown }).colors = { primary_color: body.colors.primary_color, secondary_color: body.colors.secondary_color ?? null, tertiary_color: body.colors.tertiary_color ?? null };
  } else if (body.color !== undefined) {
    role.color = body.color ?? 0;
    (role as { colors: unknown }).colors = { primary_color: role.color, secondary_color: null, tertiary_color: null };
  }
  if (body.hoist !== undefined) role.hoist = body.hoist;
  if (body.mentionable !== undefined) role.mentionable = body.mentionable;
  if (body.icon !== undefined) role.icon = storeImage(ctx.world, 'icon', (h) => `role-icons/${role.id}/${h}`, body.icon);
  if (body.unicode_emoji !== undefined) role.unicode_emoji = body.unicode_emoji;
}

function requireRole(guild: GuildState, id: string): APIRole {
  const role = guild.roles.get(id);
  if (!role) throw unknown('role');
  return role;
}

/** Renumbers positions 1..n above @everyone in the given order. */
function renumber(guild: GuildState, ordered: APIRole[]): void {
  ordered.forEach((r, i) => (r.position = i + 1));
  guild.roles.get(guild.guild.id)!.position = 0;
}

export function roleWriteRoutes(router: Router): void {
  router.post('/guilds/{guild_id}/roles', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageRoles);
    const body = parseBody<RoleBody>(ctx.body, roleShape);
    if (guild.roles.size >= 250) throw new ApiError(400, 30005, 'Maximum number of guild roles reached (250)');
    const role = {
      id: ctx.world.liveIds.next(),
      name: 'new role',
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: 1,
      permissions: guild.roles.get(guild.guild.id)!.permissions,
      managed: false,
      mentionable: false,
      flags: 0,
    } as unknown as APIRole;
    applyRoleBody(ctx, guild, role, body);
    // New roles go in just above @everyone.
    for (const r of guild.roles.values()) if (r.position >= 1) r.position++;
    guild.roles.set(role.id, role);
    return { body: role };
  });

  router.patch('/guilds/{guild_id}/roles/{role_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageRoles);
    const role = requireRole(guild, ctx.params.role_id);
    const body = parseBody<RoleBody>(ctx.body, roleShape);
    requireRoleBelowBot(ctx, guild, role);
    applyRoleBody(ctx, guild, role, body);
    return { body: role };
  });

  router.delete('/guilds/{guild_id}/roles/{role_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageRoles);
    const role = requireRole(guild, ctx.params.role_id);
    if (role.id === guild.guild.id || role.managed) throw new ApiError(400, 50028, 'Invalid Role');
    requireRoleBelowBot(ctx, guild, role);
    guild.roles.delete(role.id);
    for (const m of guild.members.values()) m.roles = m.roles.filter((id) => id !== role.id);
    renumber(guild, sortedRoles(guild).filter((r) => r.id !== guild.guild.id));
    return {};
  });

  router.patch('/guilds/{guild_id}/roles', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageRoles);
    const moves = parseArrayBody<{ id: string; position?: number | null }>(ctx.body, { id: field.snowflake({ required: true }), position: field.int({ nullable: true }) });
    const owner = guild.guild.owner_id === ctx.world.bot.id;
    const top = highestRolePosition(guild, ctx.world.bot.id);
    for (const move of moves) {
      const role = requireRole(guild, move.id);
      if (role.id === guild.guild.id) continue;
      if (!owner && (role.position >= top || (move.position ?? 0) >= top)) throw missingPermissions();
    }
    // Discord's reorder: requested positions first, the rest keep their relative order around them.
    const requested = new Map(moves.filter((m) => m.position != null && m.id !== guild.guild.id).map((m) => [m.id, m.position!]));
    const others = sortedRoles(guild).filter((r) => r.id !== guild.guild.id && !requested.has(r.id));
    const slots: Array<APIRole | undefined> = [];
    const placed = [...requested].sort((a, b) => a[1] - b[1]);
    const total = others.length + placed.length;
    for (const [id, position] of placed) {
      let i = Math.min(Math.max(position, 1), total) - 1;
      while (slots[i]) i++;
      slots[i] = guild.roles.get(id);
    }
    let next = 0;
    for (let i = 0; i < total || next < others.length; i++) if (!slots[i]) slots[i] = others[next++];
    renumber(guild, slots.filter((r): r is APIRole => !!r));
    return { body: sortedRoles(guild) };
  });
}
