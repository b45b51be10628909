import { formatCount } from './counts';

/** 512 -> "512 B", 4_404_019 -> "4.2 MB", 32 MiB -> "32 MB", 1_234_567_890_123 -> "1.1 TB"; powers of 1024, like a file manager. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(Math.max(0, bytes))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // One decimal below 100, none when it is 0 ("32 MB", not "32.0 MB").
  return `${value >= 100 ? formatCount(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
