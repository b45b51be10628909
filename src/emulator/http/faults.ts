/**
 * Fault injection, switchable per test: bursts of 429s (route, global or shared
 * scope), 5xx responses, connection resets and slow responses. A rule applies to
 * the next `times` requests it matches, then is spent.
 */
import type { HttpMethod } from './router';
import { Rng } from '../world/random';

export interface FaultMatch {
  method?: HttpMethod;
  /** A route template (`/channels/{channel_id}/messages`), or a RegExp tested against the template and the path. */
  route?: string | RegExp;
}

export type FaultKind =
  | { kind: 'rateLimit'; scope: 'user' | 'global' | 'shared'; retryAfterSeconds: number }
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number }
  | ({ kind: 'answer' } & RawAnswer);

/**
 * A response that is not what Discord would send: an HTML page, `null`, a body
 * of gigabytes, a 429 with a Retry-After of 0 or none, a redirect elsewhere.
 * What a misbehaving proxy or a hostile server can answer.
 */
export interface RawAnswer {
  status: number;
  headers?: Record<string, string>;
  /** The body as given. */
  body?: string;
  /** Instead of `body`: this many bytes of filler, streamed (never held in memory). */
  streamBytes?: number;
}

export type FaultRule = FaultMatch & FaultKind & { times: number };

/** A standing fault rate: each matching request fails with probability `rate` (fakecord-style chaos). */
export interface RandomFaults extends FaultMatch {
  rate: number;
  /** Same seed, same sequence of draws (the order of requests still decides which request gets which). */
  seed?: number;
  /** What a failing request gets, picked evenly: default a connection reset or HTTP 500/502/503. */
  kinds?: Array<'reset' | 500 | 502 | 503 | 504>;
}

export class Faults {
  private rules: FaultRule[] = [];
  private chaos: (RandomFaults & { rng: Rng }) | undefined;

  /**
   * From now on each matching request fails with probability `rate` (until
   * clear()): resets and 5xx mixed, as a flaky network or a bad Discord day.
   * Counted rules (serverError, ...) still come first.
   */
  random(options: RandomFaults): this {
    this.chaos = { ...options, rng: new Rng('faults', options.seed ?? 1) };
    return this;
  }

  /** The next `times` matching requests get 429 with the given scope. */
  rateLimit(options: FaultMatch & { times?: number; scope?: 'user' | 'global' | 'shared'; retryAfterSeconds?: number } = {}): this {
    return this.add({ ...options, kind: 'rateLimit', scope: options.scope ?? 'user', retryAfterSeconds: options.retryAfterSeconds ?? 0.1, times: options.times ?? 1 });
  }

  /** The next `times` matching requests fail with a 5xx status. */
  serverError(options: FaultMatch & { times?: number; status?: 500 | 502 | 503 | 504 } = {}): this {
    return this.add({ ...options, kind: 'status', status: options.status ?? 500, times: options.times ?? 1 });
  }

  /** The next `times` matching requests have their connection destroyed without a response. */
  connectionReset(options: FaultMatch & { times?: number } = {}): this {
    return this.add({ ...options, kind: 'reset', times: options.times ?? 1 });
  }

  /** The next `times` matching requests are answered after `delayMs`. */
  slow(options: FaultMatch & { times?: number; delayMs: number }): this {
    return this.add({ ...options, kind: 'slow', delayMs: options.delayMs, times: options.times ?? 1 });
  }

  /** The next `times` matching requests get this raw answer instead of the route's. */
  answer(options: FaultMatch & RawAnswer & { times?: number }): this {
    return this.add({ ...options, kind: 'answer', times: options.times ?? 1 });
  }

  add(rule: FaultRule): this {
    this.rules.push({ ...rule });
    return this;
  }

  clear(): void {
    this.rules = [];
    this.chaos = undefined;
  }

  /** Rules not spent yet. */
  get pending(): readonly FaultRule[] {
    return this.rules;
  }

  /** The faults that apply to this request (a 'slow' may combine with another), consuming them. */
  take(method: HttpMethod, route: string, path: string): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.times <= 0 || !matches(rule, method, route, path)) continue;
      if (hits.some((h) => h.kind === rule.kind || (h.kind !== 'slow' && rule.kind !== 'slow'))) continue;
      rule.times--;
      hits.push(rule);
    }
    this.rules = this.rules.filter((r) => r.times > 0);
    const chaos = this.chaos;
    if (chaos && !hits.some((h) => h.kind !== 'slow') && matches(chaos, method, route, path) && chaos.rng.chance(chaos.rate)) {
      const kind = chaos.rng.pick<'reset' | 500 | 502 | 503 | 504>(chaos.kinds ?? ['reset', 500, 502, 503]);
      hits.push(kind === 'reset' ? { kind: 'reset', times: 0 } : { kind: 'status', status: kind, times: 0 });
    }
    return hits;
  }
}

function matches(rule: FaultMatch, method: HttpMethod, route: string, path: string): boolean {
  if (rule.method && rule.method !== method) return false;
  if (rule.route === undefined) return true;
  if (typeof rule.route === 'string') return rule.route === route;
  return rule.route.test(route) || rule.route.test(path);
}
