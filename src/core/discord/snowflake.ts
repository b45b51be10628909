/**
 * Discord ids ("snowflakes"): unsigned 64-bit integers written in decimal,
 * 17 to 20 digits for anything made since 2015, creation time in the top 42
 * bits. This file is the one place that rule is written down: validation,
 * order, time, and the regex fragment that finds ids inside mentions and
 * links. Anything else that claims to be an id (a path, a negative or padded
 * number, text) is not one, and never goes into a URL or a folder name.
 */
const MAX_SNOWFLAKE = (1n << 64n) - 1n;

/** Milliseconds of 2015-01-01T00:00:00Z, the zero of a snowflake's time bits. */
const DISCORD_EPOCH = 1420070400000n;

/**
 * The digit rule as a regular-expression source fragment (no anchors, no
 * group), for regexes that find ids inside larger text: `<@${SNOWFLAKE_PATTERN}>`.
 * It cannot check the 2^64-1 bound; where a found id is used, isSnowflake can.
 */
export const SNOWFLAKE_PATTERN = '[1-9][0-9]{16,19}';

const WHOLE_SNOWFLAKE = new RegExp(`^${SNOWFLAKE_PATTERN}$`);

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && WHOLE_SNOWFLAKE.test(value) && BigInt(value) <= MAX_SNOWFLAKE;
}

/**
 * Numeric order of ids (older first) without BigInt: decimal ids without
 * leading zeros order by length, then digit by digit. For ids as Discord
 * writes them and as snowflakeAt makes them ("0" included).
 */
export function compareSnowflakes(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** The older (smaller) of two ids. */
export function minSnowflake(a: string, b: string): string {
  return compareSnowflakes(a, b) <= 0 ? a : b;
}

/** The newer (greater) of two ids. */
export function maxSnowflake(a: string, b: string): string {
  return compareSnowflakes(a, b) >= 0 ? a : b;
}

/** When the object with this id was made (milliseconds since 1970). */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake created at `ms` (a lower bound for "messages since"); "0" before 2015. */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH;
  return (since > 0n ? since << 22n : 0n).toString();
}
