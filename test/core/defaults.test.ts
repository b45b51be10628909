// Every default a user can change is defined once (src/core/defaults.ts). package.json and the
// README are static text, so this test is what keeps them saying the same: change a value in
// DEFAULTS and it names every place that still states the old one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GLOBAL_OPTIONS } from '../../src/cli/args';
import type { CliCommand, OptionSpec } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli/commands';
import { DEMO_SEED } from '../../src/cli/commands/demo';
import { DEFAULTS, mediaCapBytes, withinRange, type NumberDefault } from '../../src/core/defaults';
import { SETTING_DEFAULTS, settingDefault, type SettingKey } from '../../src/vscode/settings/settingDefaults';
import { runCliInProcess } from '../cli/runInProcess';

type DefaultName = keyof typeof DEFAULTS;
type DefaultValue = string | number | boolean | NumberDefault;

interface ContributedSetting {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  markdownDescription?: string;
  description?: string;
}

const ROOT = path.join(__dirname, '..', '..');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ContributedSetting> } };
};
const CONTRIBUTED = MANIFEST.contributes.configuration.properties;
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** CLI flags and the default each stands for (`migrate --concurrency` is its own, below). */
const FLAG_DEFAULTS: Record<string, DefaultName> = {
  '--api': 'apiBaseUrl',
  '--cdn': 'cdnBaseUrl',
  '--vault': 'cliVaultFolder',
  '--engine': 'storageEngine',
  '--recheck-days': 'recheckDays',
  '--concurrency': 'channelConcurrency',
  '--max-file-mb': 'mediaMaxFileSizeMB',
  '--keep': 'snapshotRetention',
  '--limit': 'searchResults',
  '--monthly-above': 'monthlyTranscriptsAbove',
};
const COMMAND_FLAG_DEFAULTS: Record<string, DefaultName> = { 'migrate --concurrency': 'migrationConcurrency' };
/** Defaults of the emulator's own options (a test tool, not the product): stated in help, not in DEFAULTS. */
const EMULATOR_DEFAULTS: Record<string, string> = { 'emulator --seed': '1', 'emulator --global-per-second': '50', 'demo --seed': String(DEMO_SEED) };

function isNumberDefault(value: DefaultValue): value is NumberDefault {
  return typeof value === 'object' && value !== null && 'value' in value;
}

function plainValue(value: DefaultValue): string | number | boolean {
  return isNumberDefault(value) ? value.value : value;
}

/** A default as text states it: "5,000" and "5000" alike, "./guild-vault-data" as "guild-vault-data", without a closing ":" or ".". */
function normalize(text: string): string {
  const trimmed = text.replace(/[:.]+$/, '').replace(/^\.\//, '');
  return /^\d[\d,]*(\.\d+)?$/.test(trimmed) ? trimmed.replace(/,/g, '') : trimmed;
}

/** The value after the word "default" in a clause: "default 4", "default `4`", "default $GUILD_VAULT_DIR or ./x", "default `$X`, else `y`". */
const STATED_DEFAULT = /\bdefault:?\s+(?:`?\$\w+`?,?\s+(?:or|else)\s+)?`?([^\s`;,)]+)/i;
/** "(1-16, default 4)", "between 1 and 16" */
const STATED_RANGE = /\((\d+)-(\d+)\b|\bbetween (\d+) and (\d+)/;

function checkRange(where: string, text: string, value: DefaultValue, problems: string[]): void {
  const range = STATED_RANGE.exec(text);
  if (!range) return;
  const [min, max] = range[1] !== undefined ? [range[1], range[2]] : [range[3], range[4]];
  if (!isNumberDefault(value) || Number(min) !== value.min || Number(max) !== value.max) {
    problems.push(`${where} states the range ${min}-${max}; the engine's is ${isNumberDefault(value) ? `${value.min}-${value.max ?? 'unbounded'}` : 'none'}`);
  }
}

function fail(problems: string[]): void {
  assert.deepEqual(problems, [], `stated differently from src/core/defaults.ts (npm run defaults:sync rewrites package.json and README's settings table; sentences need rewording):\n  ${problems.join('\n  ')}`);
}

describe('defaults: one definition, stated the same everywhere', () => {
  it('maps every contributed setting to an engine default, and nothing else', () => {
    const contributed = Object.keys(CONTRIBUTED).map((key) => key.replace(/^guildVault\./, '')).sort();
    assert.deepEqual(Object.keys(SETTING_DEFAULTS).sort(), contributed, 'src/vscode/settings/settingDefaults.ts lists exactly the contributed settings');
  });

  it("gives package.json's contributed settings the engine's default, minimum and maximum", () => {
    const problems: string[] = [];
    for (const key of Object.keys(SETTING_DEFAULTS) as SettingKey[]) {
      const contributed = CONTRIBUTED[`guildVault.${key}`]!;
      const engine: DefaultValue = settingDefault(key);
      const where = `package.json guildVault.${key}`;
      if (contributed.default !== plainValue(engine)) problems.push(`${where}: "default" is ${JSON.stringify(contributed.default)}, DEFAULTS.${SETTING_DEFAULTS[key]} is ${JSON.stringify(plainValue(engine))}`);
      if (contributed.enum && !contributed.enum.includes(contributed.default)) problems.push(`${where}: the default is not one of its enum values`);
      const min = isNumberDefault(engine) ? engine.min : undefined;
      const max = isNumberDefault(engine) ? engine.max : undefined;
      if (contributed.minimum !== min) problems.push(`${where}: "minimum" is ${contributed.minimum}, the engine's is ${min}`);
      if (contributed.maximum !== max) problems.push(`${where}: "maximum" is ${contributed.maximum}, the engine's is ${max}`);
      const description = contributed.markdownDescription ?? contributed.description ?? '';
      const stated = STATED_DEFAULT.exec(description);
      if (stated && normalize(stated[1]!) !== String(plainValue(engine))) problems.push(`${where}: its description says default ${stated[1]}`);
      checkRange(`${where}'s description`, description, engine, problems);
    }
    const concurrency = CONTRIBUTED['guildVault.concurrency']!.markdownDescription ?? '';
    const ceiling = /up to (\d+)/.exec(concurrency);
    if (!ceiling || Number(ceiling[1]) !== DEFAULTS.maxChannelConcurrency) problems.push(`package.json guildVault.concurrency: its description should say "up to ${DEFAULTS.maxChannelConcurrency}"`);
    fail(problems);
  });

  it("gives README's settings table the same defaults and ranges", () => {
    const rows = [...README.matchAll(/^\| `guildVault\.([\w.]+)` \| ([^|]*) \| ([^\n]*) \|$/gm)];
    const problems: string[] = [];
    const listed = rows.map((row) => row[1]!).sort();
    assert.deepEqual(listed, Object.keys(SETTING_DEFAULTS).sort(), "README's settings table has a row for every contributed setting");
    for (const [, key, cell, text] of rows) {
      const engine: DefaultValue = settingDefault(key as SettingKey);
      const stated = cell!.trim() === 'empty' ? '' : normalize(cell!.trim().replace(/^`|`$/g, ''));
      if (stated !== String(plainValue(engine))) problems.push(`README settings table, guildVault.${key}: default ${cell!.trim()}, the engine's is ${JSON.stringify(plainValue(engine))}`);
      checkRange(`README settings table, guildVault.${key}`, text!, engine, problems);
      const ceiling = /up to (\d+)/.exec(text!);
      if (key === 'concurrency' && Number(ceiling?.[1]) !== DEFAULTS.maxChannelConcurrency) problems.push(`README settings table, guildVault.concurrency: should say "up to ${DEFAULTS.maxChannelConcurrency}"`);
    }
    fail(problems);
  });

  it("states in README's text the defaults the engine applies", () => {
    const problems: string[] = [];
    const checked = new Set<DefaultName>();
    // "(`guildVault.archive.recheckDays`, `--recheck-days`, default 7)", "`--vault DIR` (...; default `$GUILD_VAULT_DIR`, else `./guild-vault-data`)"
    for (const match of README.matchAll(/(`--[\w-]+[^`]*`\s*)?\(([^()]*)\)/g)) {
      const group = match[2]!;
      const stated = STATED_DEFAULT.exec(group);
      if (!stated) continue;
      const setting = /`guildVault\.([\w.]+)`/.exec(group)?.[1];
      const flag = /`(--[\w-]+)/.exec(group)?.[1] ?? /^`(--[\w-]+)/.exec(match[1] ?? '')?.[1];
      const name: DefaultName | undefined = setting && setting in SETTING_DEFAULTS ? SETTING_DEFAULTS[setting as SettingKey] : flag ? FLAG_DEFAULTS[flag] : undefined;
      if (!name) continue;
      checked.add(name);
      const engine = plainValue(DEFAULTS[name]);
      if (normalize(stated[1]!) !== String(engine)) problems.push(`README "(${group.replace(/\s+/g, ' ').slice(0, 80)}...)": default ${stated[1]}, DEFAULTS.${name} is ${engine}`);
    }
    for (const name of ['apiBaseUrl', 'cdnBaseUrl', 'cliVaultFolder', 'storageEngine', 'recheckDays', 'channelConcurrency', 'mediaMaxFileSizeMB', 'snapshotRetention'] as const) {
      assert.ok(checked.has(name), `README states the default of ${name} where this test finds it (a parenthesis naming the setting or flag, with "default N")`);
    }
    // Defaults stated in words rather than "default N".
    const claims: [RegExp, number | string][] = [
      [/keep the\s+default `([^`]+)`/, DEFAULTS.apiBaseUrl],
      [/more than ([\d,]+) messages open month by month/, DEFAULTS.monthlyTranscriptsAbove],
      [/channels over ([\d,]+) messages/, DEFAULTS.monthlyTranscriptsAbove],
      [/than ([\d,]+) messages \(`--monthly-above`\)/, DEFAULTS.monthlyTranscriptsAbove],
      [/up to ([\d,]+) channels go\s+at once/, DEFAULTS.migrationConcurrency.value],
      [/at once \(`--concurrency`, up to ([\d,]+)\)/, DEFAULTS.migrationConcurrency.max],
    ];
    for (const [pattern, expected] of claims) {
      const found = pattern.exec(README);
      if (!found) problems.push(`README no longer says ${pattern} (update this test to where it states that default now)`);
      else if (normalize(found[1]!) !== String(expected)) problems.push(`README "${found[0].replace(/\s+/g, ' ')}": the engine's is ${expected}`);
    }
    fail(problems);
  });

  it('states in the CLI help the defaults and ranges the engine applies', () => {
    const problems: string[] = [];
    const visit = (options: Record<string, OptionSpec>, command: string): void => {
      for (const [option, spec] of Object.entries(options)) {
        const flag = `--${option}`;
        const key = `${command} ${flag}`.trim();
        const name = COMMAND_FLAG_DEFAULTS[key] ?? FLAG_DEFAULTS[flag];
        const stated = STATED_DEFAULT.exec(spec.description);
        if (!stated) continue;
        const expected = EMULATOR_DEFAULTS[key] ?? (name ? String(plainValue(DEFAULTS[name])) : undefined);
        if (expected === undefined) {
          if (/^\d/.test(stated[1]!)) problems.push(`${key}: help states default ${stated[1]} that is not in DEFAULTS`);
          continue;
        }
        if (normalize(stated[1]!) !== expected) problems.push(`${key}: help says default ${stated[1]}, expected ${expected}`);
        if (name) checkRange(`${key} help`, spec.description, DEFAULTS[name], problems);
      }
    };
    const walk = (commands: readonly CliCommand[], prefix: string): void => {
      for (const command of commands) {
        const name = `${prefix}${command.name}`;
        visit(command.options ?? {}, name);
        walk(command.subcommands ?? [], `${name} `);
      }
    };
    visit(GLOBAL_OPTIONS, '');
    walk(COMMANDS, '');
    fail(problems);
  });

  it('refuses CLI values outside the engine\'s range before asking Discord anything', async () => {
    const { min, max } = DEFAULTS.channelConcurrency;
    const tooMany = await runCliInProcess(['backup', '123456789012345678', '--concurrency', String(max! + 1)]);
    assert.equal(tooMany.code, 2, tooMany.stderr);
    assert.match(tooMany.stderr, new RegExp(`--concurrency must be between ${min} and ${max}`));
    const keep = await runCliInProcess(['backup', '123456789012345678', '--keep', String(DEFAULTS.snapshotRetention.min - 1)]);
    assert.equal(keep.code, 2, keep.stderr);
    assert.match(keep.stderr, new RegExp(`--keep must be at least ${DEFAULTS.snapshotRetention.min}`));
    const limit = await runCliInProcess(['search', '123456789012345678', 'fox', '--limit', String(DEFAULTS.searchResults.max! + 1)]);
    assert.equal(limit.code, 2, limit.stderr);
    assert.match(limit.stderr, /--limit must be between 1 and 200/);
  });

  it('holds numbers to their range and reads 0 MB as no media cap', () => {
    assert.equal(withinRange(DEFAULTS.channelConcurrency, 99, true), DEFAULTS.channelConcurrency.max);
    assert.equal(withinRange(DEFAULTS.channelConcurrency, 0, true), DEFAULTS.channelConcurrency.min);
    assert.equal(withinRange(DEFAULTS.channelConcurrency, 2.7, true), 2);
    assert.equal(withinRange(DEFAULTS.recheckDays, 1.5), 1.5);
    assert.equal(withinRange(DEFAULTS.recheckDays, Number.NaN), DEFAULTS.recheckDays.value);
    assert.equal(mediaCapBytes(0), 0);
    assert.equal(mediaCapBytes(1.5), 1_572_864);
  });
});
