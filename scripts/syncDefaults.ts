/**
 * Writes the engine's defaults (src/core/defaults.ts) into the two static
 * files that state them: package.json's contributed settings ("default",
 * "minimum", "maximum") and README's settings table (the Default column).
 * Changing a default is then one line in src/core/defaults.ts and
 *
 *   npm run defaults:sync
 *
 * test/core/defaults.test.ts fails until both files (and the README's
 * sentences that state a default, which need a person's wording) agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NumberDefault } from '../src/core/defaults';
import { SETTING_DEFAULTS, settingDefault, type SettingKey } from '../src/vscode/settings/settingDefaults';

const ROOT = path.join(__dirname, '..');
const MANIFEST = path.join(ROOT, 'package.json');
const README = path.join(ROOT, 'README.md');

type Plain = string | number | boolean;

function isNumberDefault(value: Plain | NumberDefault): value is NumberDefault {
  return typeof value === 'object';
}

/** The README table cell for a default: "empty", or the value as code. */
function readmeCell(value: Plain): string {
  return value === '' ? 'empty' : `\`${value}\``;
}

export function syncManifest(text: string): string {
  const manifest = JSON.parse(text) as { contributes: { configuration: { properties: Record<string, Record<string, unknown>> } } };
  for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) {
    const setting = manifest.contributes.configuration.properties[`guildVault.${key}`];
    if (!setting) throw new Error(`package.json does not contribute guildVault.${key}`);
    const engine: Plain | NumberDefault = settingDefault(key);
    setting.default = isNumberDefault(engine) ? engine.value : engine;
    if (!isNumberDefault(engine)) continue;
    setting.minimum = engine.min;
    if (engine.max === undefined) delete setting.maximum;
    else setting.maximum = engine.max;
  }
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function syncReadme(text: string): string {
  return text.replace(/^(\| `guildVault\.([\w.]+)` \| )([^|]*)( \|)/gm, (row, start: string, key: string, _cell: string, end: string) => {
    if (!(key in SETTING_DEFAULTS)) return row;
    const engine: Plain | NumberDefault = settingDefault(key as SettingKey);
    return `${start}${readmeCell(isNumberDefault(engine) ? engine.value : engine)}${end}`;
  });
}

if (require.main === module) {
  for (const [file, sync] of [
    [MANIFEST, syncManifest],
    [README, syncReadme],
  ] as const) {
    const before = fs.readFileSync(file, 'utf8');
    const after = sync(before);
    if (after !== before) fs.writeFileSync(file, after);
    console.log(`${path.relative(ROOT, file)}: ${after === before ? 'already current' : 'updated'}`);
  }
}
