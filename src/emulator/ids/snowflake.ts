/**
 * Discord snowflakes: milliseconds since the Discord epoch in the top 42 bits,
 * then 5 bits worker, 5 bits process and a 12-bit increment.
 * Ids made here are 17 to 19 digits, like production ones (@discordjs/rest
 * buckets by id length, so short ids would change its behaviour).
 */
export const DISCORD_EPOCH_MS = 1420070400000;

/** `low22` fills worker, process and increment bits (0 to 4,194,303). */
export function snowflakeAt(timestampMs: number, low22 = 0): string {
  const ms = BigInt(Math.floor(timestampMs) - DISCORD_EPOCH_MS);
  return ((ms << 22n) | BigInt(low22 & 0x3fffff)).toString();
}

export function timestampOfSnowflake(id: string | bigint): number {
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
}

export function isSnowflake(value: string): boolean {
  return /^(0|[1-9][0-9]{0,19})$/.test(value) && BigInt(value) < 1n << 64n;
}

export function compareSnowflakes(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Hands out unique, increasing snowflakes for objects created by the emulator
 * (generated structure and writes), from a start time onward. Never reused.
 */
export class SnowflakeSequence {
  private lastMs = 0;
  private increment = 0;
  constructor(private readonly worker = 1) {}

  /** An id at `timestampMs` (or the next free one after it); defaults to now. */
  next(timestampMs: number = Date.now()): string {
    let ms = Math.floor(timestampMs);
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) {
      this.increment++;
      if (this.increment > 0xfff) {
        ms++;
        this.increment = 0;
      }
    } else this.increment = 0;
    this.lastMs = ms;
    return snowflakeAt(ms, (this.worker << 17) | this.increment);
  }
}
