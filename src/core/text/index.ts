/**
 * The text layer: how counts, sizes, change summaries, dates and durations
 * are worded, and the one redactor for secrets. Shared by the engine's own
 * messages, src/presentation, the CLI and VS Code; nothing here knows a
 * front end.
 */
export { formatCount, nounFor, partOf, plural, pluralOf } from './counts';
export { formatBytes, formatExactBytes } from './sizes';
export { formatChangeSummary, type ChangeCounts } from './changes';
export { formatAgo, formatAgoShort, formatDay, formatDayTime, formatDuration, formatFullDateTime, formatUtc, toDate, type DateFormatOptions, type DateInput } from './dates';
export { REDACTED, Redactor, redactSecrets, redactUrlTokens } from './redact';
export { escapeControls, plainText } from './controls';
