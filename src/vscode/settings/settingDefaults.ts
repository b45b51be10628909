import { DEFAULTS, type NumberDefault } from '../engine';

/**
 * Which engine default each contributed `guildVault.*` setting falls back to.
 * readSettings reads through this table, and test/core/defaults.test.ts checks
 * package.json's contribution (default, minimum, maximum) and README's
 * settings table against it, so the three cannot drift apart. Plain (no
 * `vscode` import) for that test.
 */
export const SETTING_DEFAULTS = {
  vaultDirectory: 'vaultDirectory',
  apiBaseUrl: 'apiBaseUrl',
  cdnBaseUrl: 'cdnBaseUrl',
  concurrency: 'channelConcurrency',
  'media.maxFileSizeMB': 'mediaMaxFileSizeMB',
  'snapshots.retention': 'snapshotRetention',
  'snapshots.autoIntervalHours': 'autoSnapshotIntervalHours',
  'backup.autoIntervalHours': 'autoBackupIntervalHours',
  'archive.recheckDays': 'recheckDays',
  'storage.engine': 'storageEngine',
  'privacy.aliases': 'privacyAliases',
  'offsite.folder': 'offsiteFolder',
  'offsite.keep': 'offsiteKeep',
  'offsite.encrypt': 'offsiteEncrypt',
} as const satisfies Record<string, keyof typeof DEFAULTS>;

/** A setting's key under `guildVault.` */
export type SettingKey = keyof typeof SETTING_DEFAULTS;

type DefaultOf<K extends SettingKey> = (typeof DEFAULTS)[(typeof SETTING_DEFAULTS)[K]];

/** The settings whose default is a number with a range. */
export type NumberSettingKey = { [K in SettingKey]: DefaultOf<K> extends NumberDefault ? K : never }[SettingKey];

/** The settings whose default is a plain value (text, a flag). */
export type PlainSettingKey = Exclude<SettingKey, NumberSettingKey>;

/** What a plain setting holds: any text, or either flag value (the default is one literal of them). */
export type PlainSettingValue<K extends PlainSettingKey> = DefaultOf<K> extends string ? string : DefaultOf<K> extends boolean ? boolean : never;

export function settingDefault<K extends SettingKey>(key: K): DefaultOf<K> {
  return DEFAULTS[SETTING_DEFAULTS[key]] as DefaultOf<K>;
}
