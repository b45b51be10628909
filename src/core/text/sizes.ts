import { formatCount, plural } from './counts';

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

/**
 * 1_048_576 -> "1,048,576 bytes (1 MB)": the exact count, for a message where the
 * reader compares sizes or looks one up, with the size in words beside it; under
 * 1 KB the count alone ("512 bytes").
 */
export function formatExactBytes(bytes: number): string {
  const exact = plural(bytes, 'byte');
  return bytes < 1024 ? exact : `${exact} (${formatBytes(bytes)})`;
}
