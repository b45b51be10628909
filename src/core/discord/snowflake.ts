/**
 * Discord ids ("snowflakes"): unsigned 64-bit integers written in decimal,
 * 17 to 20 digits for anything made since 2015. Anything else that claims to
 * be an id (a path, a negative or padded number, text) is not one, and never
 * goes into a URL.
 */
const MAX_SNOWFLAKE = (1n << 64n) - 1n;

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{16,19}$/.test(value) && BigInt(value) <= MAX_SNOWFLAKE;
}
