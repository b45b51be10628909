/**
 * Route table. Routes are written as Discord's OpenAPI paths
 * (`/channels/{channel_id}/messages`), which also name them in the request log,
 * in fault rules and in rate-limit buckets.
 */
import type { IncomingMessage } from 'node:http';
import type { World } from '../world/world';
import type { QueryParams } from './params';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestContext {
  world: World;
  method: HttpMethod;
  route: string;
  params: Record<string, string>;
  query: QueryParams;
  /** Parsed JSON body (undefined when there is none). */
  body: unknown;
  req: IncomingMessage;
  /** The audit-log reason header, when given. */
  reason?: string;
  /** Limits a route applies itself (webhook messages per channel); absent in unit tests of routes. */
  rateLimiter?: import('./rateLimiter').RateLimiter;
}

export interface RouteResult {
  status?: number;
  body?: unknown;
}

export type Handler = (ctx: RequestContext) => RouteResult | Promise<RouteResult>;

export interface RouteOptions {
  /** Routes authenticated by a token in the path (webhooks) need no bot token. */
  auth?: boolean;
}

interface Route {
  method: HttpMethod;
  template: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  options: RouteOptions;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: HttpMethod, template: string, handler: Handler, options: RouteOptions = {}): this {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, template, pattern: new RegExp(`^${source}$`), names, handler, options });
    return this;
  }

  get(template: string, handler: Handler, options?: RouteOptions): this {
    return this.add('GET', template, handler, options);
  }
  post(template: string, handler: Handler, options?: RouteOptions): this {
    return this.add('POST', template, handler, options);
  }
  patch(template: string, handler: Handler, options?: RouteOptions): this {
    return this.add('PATCH', template, handler, options);
  }
  put(template: string, handler: Handler, options?: RouteOptions): this {
    return this.add('PUT', template, handler, options);
  }
  delete(template: string, handler: Handler, options?: RouteOptions): this {
    return this.add('DELETE', template, handler, options);
  }

  /**
   * The route for a method and path; `methodMismatch` when the path exists with other methods only.
   * The most specific route wins (fewest parameters): `/channels/{channel_id}/messages/pins`
   * before `/channels/{channel_id}/messages/{message_id}`.
   */
  match(method: string, path: string): RouteMatch | 'methodMismatch' | undefined {
    let pathMatched = false;
    let best: { route: Route; m: RegExpExecArray } | undefined;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      if (!best || route.names.length < best.route.names.length) best = { route, m };
    }
    if (!best) return pathMatched ? 'methodMismatch' : undefined;
    const params: Record<string, string> = {};
    best.route.names.forEach((name, i) => (params[name] = decodeURIComponent(best!.m[i + 1])));
    return { route: best.route, params };
  }

  /** All route templates with their methods (for docs and the schema test). */
  list(): Array<{ method: HttpMethod; template: string }> {
    return this.routes.map((r) => ({ method: r.method, template: r.template }));
  }
}
