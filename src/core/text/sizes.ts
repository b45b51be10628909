import { formatCount } from './counts';

/** 512 -> "512 B", 4_404_019 -> "4.2 MB", 1_234_567_890_123 -> "1.1 TB"; powers of 1024, like a file manager. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatCount(Math.max(0, bytes))} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? formatCount(value) : value.toFixed(1)} ${units[unit]}`;
}
