/** /users/@me, /users/@me/guilds, /users/{user_id}. */
import { unknown } from '../http/apiError';
import type { Router } from '../http/router';
import { basePermissions } from '../world/permissions';
import { compareSnowflakes } from '../ids/snowflake';
import { presentUser } from './present';

export function userRoutes(router: Router): void {
  router.get('/users/@me', ({ world }) => ({
    body: { ...presentUser(world.bot), mfa_enabled: false, locale: 'en-US', verified: true, email: null },
  }));

  router.get('/users/@me/guilds', ({ world, query }) => {
    const before = query.snowflake('before');
    const after = query.snowflake('after');
    const limit = query.int('limit', { min: 1, max: 200, default: 200 });
    const withCounts = query.bool('with_counts') ?? false;
    let guilds = [...world.guilds.values()].sort((a, b) => compareSnowflakes(a.guild.id, b.guild.id));
    if (after) guilds = guilds.filter((g) => compareSnowflakes(g.guild.id, after) > 0);
    if (before) guilds = guilds.filter((g) => compareSnowflakes(g.guild.id, before) < 0);
    // With `before` Discord returns the guilds just below it; otherwise from the start.
    guilds = before && !after ? guilds.slice(-limit) : guilds.slice(0, limit);
    return {
      body: guilds.map((g) => ({
        id: g.guild.id,
        name: g.guild.name,
        icon: g.guild.icon,
        banner: g.guild.banner,
        owner: g.guild.owner_id === world.bot.id,
        permissions: basePermissions(g, world.bot.id).toString(),
        features: g.guild.features,
        ...(withCounts ? { approximate_member_count: g.members.size, approximate_presence_count: Math.round(g.members.size * 0.3) } : {}),
      })),
    };
  });

  router.get('/users/{user_id}', ({ world, params }) => {
    const user = world.users.get(params.user_id);
    if (!user) throw unknown('user');
    return { body: presentUser(user) };
  });
}
