/** Discord snowflakes carry their creation time: milliseconds since 2015 in the top 42 bits. */
const DISCORD_EPOCH = 1420070400000n;

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** The smallest snowflake created at `ms` (a lower bound for "messages since"). */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH;
  return (since > 0n ? since << 22n : 0n).toString();
}
