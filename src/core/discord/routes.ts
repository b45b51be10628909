import { redactUrlTokens } from '../text';

/**
 * Route strings as they appear in events, logs and errors: the API path
 * without the version prefix and query, with secrets in paths (webhook and
 * interaction tokens) replaced so a route can be logged safely.
 */
export function redactRoute(route: string): string {
  return redactUrlTokens(route.split('?')[0]!, ':token');
}

/** The route of an absolute API URL: `${apiBase}/v10/channels/1/messages?x` -> `/channels/1/messages`. */
export function routeOfUrl(url: string, apiBaseUrl: string): string {
  let rest = url.startsWith(apiBaseUrl) ? url.slice(apiBaseUrl.length) : safePathname(url);
  rest = rest.replace(/^\/v\d+(?=\/)/, '');
  return redactRoute(rest);
}

function safePathname(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/** A URL without its query string (signed CDN URLs carry expiring signatures there). */
export function urlWithoutQuery(url: string): string {
  const at = url.search(/[?#]/);
  return at < 0 ? url : url.slice(0, at);
}

/** "server 123", "channel 456", ... for messages a person reads. */
export function describeRoute(route: string): string {
  const path = redactRoute(route);
  let match = /^\/guilds\/(\d+)(\/.*)?$/.exec(path);
  if (match) return match[2] ? `${match[2].replace(/^\//, '').split('/')[0]} of server ${match[1]}` : `server ${match[1]}`;
  match = /^\/channels\/(\d+)(\/.*)?$/.exec(path);
  if (match) return match[2] ? `${match[2].replace(/^\//, '').split('/')[0]} of channel ${match[1]}` : `channel ${match[1]}`;
  match = /^\/webhooks\/(\d+)/.exec(path);
  if (match) return `webhook ${match[1]}`;
  if (path.startsWith('/users/@me')) return 'the bot user';
  return path;
}
