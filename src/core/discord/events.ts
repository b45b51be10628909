import { EventEmitter } from 'node:events';
import type { JobCounters } from '../job';

/** The client is waiting before it may send to `route` (a bucket route like `/channels/:id/messages`). */
export interface RateLimitedEvent {
  route: string;
  method: string;
  waitMs: number;
  global: boolean;
  /** 'user' | 'global' | 'shared' as Discord reports it. */
  scope: string;
}

/** A request is being sent again after a transient failure (5xx, reset, timeout). */
export interface RetryEvent {
  route: string;
  method: string;
  /** The attempt about to be made: 2 for the first retry. */
  attempt: number;
  /** "HTTP 502", "ECONNRESET", "timeout after 15000 ms". */
  reason: string;
  delayMs: number;
}

/** One HTTP attempt finished (also each retry and each 429); status 0 when no response came back. */
export interface RequestEvent {
  method: string;
  route: string;
  status: number;
  durationMs: number;
}

export interface DiscordClientEvents {
  rateLimited: [RateLimitedEvent];
  retry: [RetryEvent];
  request: [RequestEvent];
}

/** The client's EventEmitter with its event names and payloads typed. */
export type DiscordClientEmitter = EventEmitter<DiscordClientEvents>;

/**
 * The shared client's emitter: every event reaches its own listeners and, when
 * it happens during a job's request, that job's emitter and counters too.
 */
export class ScopedEmitter extends EventEmitter<DiscordClientEvents> {
  constructor(private readonly currentJob: () => JobEventSink | undefined) {
    super();
  }

  override emit<K extends keyof DiscordClientEvents>(name: K, ...args: DiscordClientEvents[K]): boolean {
    const job = this.currentJob();
    if (job) {
      countEvent(job.counters, name, args[0]);
      (job.events.emit as (name: K, ...args: DiscordClientEvents[K]) => boolean)(name, ...args);
    }
    return (super.emit as (name: K, ...args: DiscordClientEvents[K]) => boolean)(name, ...args);
  }
}

/** What a job (src/core/job.ts) offers the client: where its events go and what they are counted in. */
export interface JobEventSink {
  events: DiscordClientEmitter;
  counters: JobCounters;
}

function countEvent(counters: JobCounters, name: keyof DiscordClientEvents, event: DiscordClientEvents[keyof DiscordClientEvents][0]): void {
  if (name === 'request') counters.requests++;
  else if (name === 'retry') counters.retries++;
  else if (name === 'rateLimited') {
    counters.rateLimitWaits++;
    counters.rateLimitWaitMs += (event as RateLimitedEvent).waitMs;
  }
}
