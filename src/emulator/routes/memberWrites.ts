/** Member writes with Discord's hierarchy rules: bans, nicknames, roles, timeouts. */
import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { ApiError, missingPermissions, unknown } from '../http/apiError';
import { field, parseBody } from '../http/body';
import type { RequestContext, Router } from '../http/router';
import type { GuildState } from '../world/model';
import { highestRolePosition } from '../world/permissions';
import { presentUser } from './present';
import { requireGuild, requireGuildPermission } from './access';
import { requireRoleBelowBot } from './roleWrites';

/** 403 50013 unless the bot outranks the member (owners outrank everyone; nobody outranks the owner). */
function requireOutranks(ctx: RequestContext, guild: GuildState, userId: string): void {
  if (guild.guild.owner_id === userId) throw missingPermissions();
  if (guild.guild.owner_id === ctx.world.bot.id || !guild.members.has(userId)) return;
  if (highestRolePosition(guild, userId) >= highestRolePosition(guild, ctx.world.bot.id)) throw missingPermissions();
}

export function memberWriteRoutes(router: Router): void {
  // ---- bans ----

  router.put('/guilds/{guild_id}/bans/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.BanMembers);
    parseBody(ctx.body, { delete_message_days: field.int({ min: 0, max: 7 }), delete_message_seconds: field.int({ min: 0, max: 604800 }) });
    const user = ctx.world.users.get(ctx.params.user_id) ?? guild.bans.get(ctx.params.user_id)?.user;
    if (!user) throw unknown('user');
    if (user.id === ctx.world.bot.id) throw missingPermissions();
    requireOutranks(ctx, guild, user.id);
    guild.members.delete(user.id);
    guild.bans.set(user.id, { user, reason: ctx.reason ?? null });
    return {};
  });

  router.delete('/guilds/{guild_id}/bans/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.BanMembers);
    if (!guild.bans.delete(ctx.params.user_id)) throw unknown('ban');
    return {};
  });

  // ---- members ----

  router.patch('/guilds/{guild_id}/members/{user_id}', (ctx) => {
    const guild = requireGuild(ctx);
    const member = guild.members.get(ctx.params.user_id);
    if (!member) throw unknown('member');
    const body = parseBody<{ nick?: string | null; roles?: string[] | null; mute?: boolean; deaf?: boolean; communication_disabled_until?: string | null }>(ctx.body, {
      nick: field.string({ max: 32, nullable: true }),
      roles: field.array(field.snowflake(), { nullable: true }),
      mute: field.bool(),
      deaf: field.bool(),
      communication_disabled_until: field.string({ nullable: true }),
    });
    if (body.nick !== undefined) {
      if (member.user.id !== ctx.world.bot.id) {
        requireGuildPermission(ctx, guild, P.ManageNicknames);
        requireOutranks(ctx, guild, member.user.id);
      }
      member.nick = body.nick;
    }
    if (body.roles !== undefined) {
      requireGuildPermission(ctx, guild, P.ManageRoles);
      const wanted = new Set(body.roles ?? []);
      const current = new Set(member.roles);
      for (const id of new Set([...wanted, ...current])) {
        if (wanted.has(id) === current.has(id)) continue;
        const role = guild.roles.get(id);
        if (!role) throw unknown('role');
        if (role.managed) throw new ApiError(400, 50028, 'Invalid Role');
        requireRoleBelowBot(ctx, guild, role);
      }
      member.roles = [...wanted];
    }
    if (body.communication_disabled_until !== undefined) {
      requireGuildPermission(ctx, guild, P.ModerateMembers);
      requireOutranks(ctx, guild, member.user.id);
      member.communication_disabled_until = body.communication_disabled_until;
    }
    if (body.mute !== undefined) member.mute = body.mute;
    if (body.deaf !== undefined) member.deaf = body.deaf;
    return { body: { ...member, user: presentUser(member.user) } };
  });

  const memberRole = (add: boolean) => (ctx: RequestContext) => {
    const guild = requireGuild(ctx);
    requireGuildPermission(ctx, guild, P.ManageRoles);
    const member = guild.members.get(ctx.params.user_id);
    if (!member) throw unknown('member');
    const role = guild.roles.get(ctx.params.role_id);
    if (!role) throw unknown('role');
    if (role.managed) throw new ApiError(400, 50028, 'Invalid Role');
    requireRoleBelowBot(ctx, guild, role);
    member.roles = add ? [...new Set([...member.roles, role.id])] : member.roles.filter((id) => id !== role.id);
    return {};
  };
  router.put('/guilds/{guild_id}/members/{user_id}/roles/{role_id}', memberRole(true));
  router.delete('/guilds/{guild_id}/members/{user_id}/roles/{role_id}', memberRole(false));
}
