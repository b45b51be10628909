export { listBotGuilds, verifyToken, type BotGuild } from './connect';
