export { listBotGuilds, verifyToken, type BotGuild } from './connect';
export { checkGuildAccess } from './guildAccess';
