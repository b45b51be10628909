import { listBotGuilds, verifyToken } from '../../core/connect';
import { botInviteUrl } from '../../presentation/invite';
import type { CliCommand } from '../command';
import { plural } from '../../core/text';

export const serversCommand: CliCommand = {
  name: 'servers',
  summary: 'Check the token and list the servers the bot is in (and which have a vault).',
  usage: 'servers [--json]',
  description:
    'Checks DISCORD_TOKEN with Discord (GET /users/@me), then lists every server the bot is a member of: ' +
    'its id, name, and whether a vault for it exists in --vault. Use the ids with "backup", "snapshot" and "health".',
  usesDiscord: true,
  usesVault: true,
  options: {
    json: { type: 'boolean', description: 'Print JSON: { bot, servers: [{ id, name, owner, hasVault }] }.' },
  },
  async run(ctx, args) {
    const client = ctx.client();
    const bot = await verifyToken(client, { signal: ctx.signal });
    const guilds = await listBotGuilds(client, { signal: ctx.signal });
    const store = ctx.vaultStore();
    const rows = guilds.map((guild) => ({ id: guild.id, name: guild.name, owner: guild.owner, hasVault: store.has(guild.id) }));
    if (args.values.json) {
      ctx.out(JSON.stringify({ bot: { id: bot.id, username: bot.username }, servers: rows }, null, 2));
      return;
    }
    ctx.out(`Bot: ${bot.username} (${bot.id}), in ${plural(rows.length, 'server')}`);
    if (rows.length === 0) {
      ctx.out('The bot is in no server yet. Invite it (as someone who may manage the server) with:');
      ctx.out(`  ${botInviteUrl(bot.id)}`);
      return;
    }
    const idWidth = Math.max(2, ...rows.map((row) => row.id.length));
    ctx.out(`${'ID'.padEnd(idWidth)}  VAULT  NAME`);
    for (const row of rows) ctx.out(`${row.id.padEnd(idWidth)}  ${(row.hasVault ? 'yes' : '-').padEnd(5)}  ${row.name}`);
  },
};
