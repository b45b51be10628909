/** Every request the emulator answered, for tests that count requests. */
export interface RequestLogEntry {
  method: string;
  /** Route template (`/channels/{channel_id}/messages`); for the CDN `cdn:/attachments/...`; `unknown` when no route matched. */
  route: string;
  /** Path and query as requested, without the /api/v10 prefix. */
  path: string;
  status: number;
  /** 'fault' when an injected fault produced the response. */
  fault?: string;
  at: number;
}

/** An array of entries (newest last), with counting helpers. Bounded: the oldest entries go past `limit`. */
export class RequestLog extends Array<RequestLogEntry> {
  limit = 500_000;

  static override get [Symbol.species]() {
    return Array;
  }

  record(entry: RequestLogEntry): void {
    this.push(entry);
    if (this.length > this.limit) this.splice(0, this.length - this.limit);
  }

  /** Number of logged requests matching method and/or route (template, or RegExp over the template). */
  count(filter: { method?: string; route?: string | RegExp; status?: number } = {}): number {
    let n = 0;
    for (const e of this) {
      if (filter.method && e.method !== filter.method) continue;
      if (filter.status !== undefined && e.status !== filter.status) continue;
      if (filter.route !== undefined && (typeof filter.route === 'string' ? e.route !== filter.route : !filter.route.test(e.route))) continue;
      n++;
    }
    return n;
  }

  clear(): void {
    this.length = 0;
  }
}
