/**
 * What a successful GET answers, by route, as Discord's OpenAPI description
 * says (a test compares this table with it): an array, an object, or an
 * object that carries its `id`. Anything else (an HTML page, `null`, an
 * array where an object belongs) did not come from Discord, and is refused in
 * one place instead of failing later as "roles.map is not a function".
 * (The description marks some lists nullable; Discord sends [] for those.)
 */
export type ResponseShape = 'array' | 'object' | 'object with id';

export const GET_RESPONSE_SHAPES: Readonly<Record<string, ResponseShape>> = {
  '/users/@me': 'object with id',
  '/users/@me/guilds': 'array',
  '/users/{user_id}': 'object with id',
  '/applications/@me': 'object with id',
  '/guilds/{guild_id}': 'object with id',
  '/guilds/{guild_id}/roles': 'array',
  '/guilds/{guild_id}/roles/{role_id}': 'object with id',
  '/guilds/{guild_id}/channels': 'array',
  '/guilds/{guild_id}/members': 'array',
  '/guilds/{guild_id}/members/{user_id}': 'object',
  '/guilds/{guild_id}/bans': 'array',
  '/guilds/{guild_id}/bans/{user_id}': 'object',
  '/guilds/{guild_id}/emojis': 'array',
  '/guilds/{guild_id}/emojis/{emoji_id}': 'object with id',
  '/guilds/{guild_id}/stickers': 'array',
  '/guilds/{guild_id}/stickers/{sticker_id}': 'object with id',
  '/guilds/{guild_id}/scheduled-events': 'array',
  '/guilds/{guild_id}/scheduled-events/{guild_scheduled_event_id}': 'object',
  '/guilds/{guild_id}/auto-moderation/rules/{rule_id}': 'object',
  '/guilds/{guild_id}/auto-moderation/rules': 'array',
  '/guilds/{guild_id}/welcome-screen': 'object',
  '/guilds/{guild_id}/onboarding': 'object',
  '/guilds/{guild_id}/soundboard-sounds': 'object',
  '/guilds/{guild_id}/soundboard-sounds/{sound_id}': 'object',
  '/guilds/{guild_id}/webhooks': 'array',
  '/channels/{channel_id}': 'object',
  '/guilds/{guild_id}/threads/active': 'object',
  '/channels/{channel_id}/threads/archived/public': 'object',
  '/channels/{channel_id}/threads/archived/private': 'object',
  '/channels/{channel_id}/users/@me/threads/archived/private': 'object',
  '/channels/{channel_id}/webhooks': 'array',
  '/channels/{channel_id}/messages': 'array',
  '/channels/{channel_id}/messages/{message_id}': 'object with id',
  '/channels/{channel_id}/messages/pins': 'object',
  '/channels/{channel_id}/pins': 'array',
  '/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}': 'array',
  '/webhooks/{webhook_id}': 'object',
  '/webhooks/{webhook_id}/{webhook_token}': 'object',
};

interface ShapeRoute {
  pattern: RegExp;
  shape: ResponseShape;
  /** Literal segments: `/users/@me` wins over `/users/{user_id}`. */
  literals: number;
}

const ROUTES: ShapeRoute[] = Object.entries(GET_RESPONSE_SHAPES)
  .map(([template, shape]) => ({
    pattern: new RegExp(`^${template.split('/').map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`),
    shape,
    literals: template.split('/').filter((part) => part && !part.startsWith('{')).length,
  }))
  .sort((a, b) => b.literals - a.literals);

/** The shape a GET of `route` (an API path without version and query) answers with, when the table knows the route. */
export function expectedShape(route: string): ResponseShape | undefined {
  return ROUTES.find((candidate) => candidate.pattern.test(route))?.shape;
}

/** Why `body` is not what Discord sends for `shape`, or undefined when it is. */
export function shapeProblem(body: unknown, shape: ResponseShape | undefined): string | undefined {
  const kind = body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body === 'object' ? 'an object' : `a ${typeof body}`;
  if (shape === 'array') {
    if (!Array.isArray(body)) return `${kind} where a list belongs`;
    if (body.some((item) => item === null || typeof item !== 'object')) return 'a list holding something other than objects';
    return undefined;
  }
  if (shape === undefined) return body !== null && typeof body === 'object' ? undefined : kind;
  if (kind !== 'an object') return `${kind} where an object belongs`;
  if (shape === 'object with id' && typeof (body as { id?: unknown }).id !== 'string') return 'an object without an id';
  return undefined;
}
