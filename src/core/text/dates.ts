/**
 * Dates and durations as people read them, in the tree, notifications,
 * titles, CLI output and engine messages alike.
 */

import { plural } from './counts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface DateFormatOptions {
  /** IANA zone; default: the machine's local zone. Tests pass 'UTC'. */
  timeZone?: string;
}

export type DateInput = Date | string | number;

export function toDate(value: DateInput): Date {
  return value instanceof Date ? value : new Date(value);
}

/** A stored time may be anything Discord (or a damaged vault) sent: what is no date is shown as it came, never thrown on. */
function isValidDate(value: DateInput): boolean {
  return !Number.isNaN(toDate(value).getTime());
}

/** 250 -> "250 ms", 1200 -> "1.2 s", 95_000 -> "1 min 35 s", 7_500_000 -> "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) {
    const seconds = totalSeconds % 60;
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one (transcripts format a time per message). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(key, formatter);
  }
  return formatter;
}

function dateParts(value: DateInput, options: DateFormatOptions): DateParts {
  const parts = formatterFor(options.timeZone).formatToParts(toDate(value));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "Nov 22" */
export function formatDay(value: DateInput, options: DateFormatOptions = {}): string {
  if (!isValidDate(value)) return String(value);
  const p = dateParts(value, options);
  return `${MONTHS[p.month - 1]} ${p.day}`;
}

/** "Nov 22 14:03" */
export function formatDayTime(value: DateInput, options: DateFormatOptions = {}): string {
  if (!isValidDate(value)) return String(value);
  const p = dateParts(value, options);
  return `${MONTHS[p.month - 1]} ${p.day} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2026-11-22 14:03" for tooltips, where the year matters (with timeZone 'UTC': the CLI's columns). */
export function formatFullDateTime(value: DateInput, options: DateFormatOptions = {}): string {
  if (!isValidDate(value)) return String(value);
  const p = dateParts(value, options);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The words of each step of an age, long ("5 min ago") or compact ("5m ago"). */
interface AgeWords {
  minutes: (n: number) => string;
  hours: (n: number) => string;
  days: (n: number) => string;
}

const LONG_AGE: AgeWords = { minutes: (n) => `${n} min ago`, hours: (n) => `${n} h ago`, days: (n) => `${plural(n, 'day')} ago` };
const SHORT_AGE: AgeWords = { minutes: (n) => `${n}m ago`, hours: (n) => `${n}h ago`, days: (n) => `${n}d ago` };

/** "just now" under a minute, then whole minutes, hours and days; from two weeks on (or no date), the day. */
function formatAge(words: AgeWords, value: DateInput, now: DateInput, options: DateFormatOptions): string {
  const ms = toDate(now).getTime() - toDate(value).getTime();
  if (ms < 60_000) return 'just now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return words.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return words.hours(hours);
  const days = Math.floor(hours / 24);
  if (days < 14) return words.days(days);
  return formatDay(value, options);
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", else the day. */
export function formatAgo(value: DateInput, now: DateInput = Date.now(), options: DateFormatOptions = {}): string {
  return formatAge(LONG_AGE, value, now, options);
}

/** The compact form for tree descriptions: "just now", "5m ago", "3h ago", "2d ago", else the day. */
export function formatAgoShort(value: DateInput, now: DateInput = Date.now(), options: DateFormatOptions = {}): string {
  return formatAge(SHORT_AGE, value, now, options);
}

/**
 * "2026-11-22 14:03 UTC": a time in CLI output, transcripts and exports, which
 * are read on other machines than the one that wrote them. An unparseable
 * value is shown as it came.
 */
export function formatUtc(value: DateInput): string {
  return isValidDate(value) ? `${toDate(value).toISOString().slice(0, 16).replace('T', ' ')} UTC` : String(value);
}
