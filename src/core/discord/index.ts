export { DiscordClient, type DiscordClientOptions, type Query, type RequestOptions, type Route, type WriteOptions } from './discordClient';
export { DiscordApiError, isDiscordApiError, type DiscordErrorCode } from './discordApiError';
export type { DiscordClientEvents, RateLimitedEvent, RequestEvent, RetryEvent } from './events';
export type { Download } from './download';
export { compareIds, type ArchivedThreadKind } from './pagination';
export { describeRoute, redactRoute, urlWithoutQuery } from './routes';
export { channelLabel } from './channelLabel';
export { isSnowflake } from './snowflake';
export { apiRoute } from './apiRoute';
