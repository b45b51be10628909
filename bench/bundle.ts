/**
 * Off-site copies at scale: a vault of 1,000,000 messages (BENCH_BUNDLE_MESSAGES) with 1,000
 * media files of 256 KB, bundled full, encrypted, incrementally after 10,000 new messages, then
 * verified and restored. Each step runs the real CLI in a child process under /usr/bin/time, so
 * its peak memory is its own: the goal is memory flat whatever the vault's size.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { casPathFor } from '../src/core/media/casPath';
import { Vault } from '../src/core/vault';
import { recordGuildIdentity } from '../src/core/vault/identity';
import { buildVault } from './archive/bigVault';
import { benchmarkWorld, channelHistories } from './archive/generatedHistory';
import { MessageIngest } from '../src/core/archive';
import { MediaPool } from '../src/core/media';
import { record, type Benchmark } from './run';

const MESSAGES = Number(process.env.BENCH_BUNDLE_MESSAGES ?? 1_000_000);
const CHANNELS = 20;
const MEDIA_FILES = 1000;
const MEDIA_BYTES = 256 * 1024;
const ROOT = path.resolve(__dirname, '..');

function timed(args: string[], env: Record<string, string>): { seconds: number; maxRssMb: number; out: string } {
  const stderrFile = path.join(os.tmpdir(), `gv-bench-bundle-time-${process.pid}`);
  const fd = fs.openSync(stderrFile, 'w');
  try {
    const out = execFileSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/entry.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', fd],
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = fs.readFileSync(stderrFile, 'utf8').split('\n').find((l) => l.startsWith('TIME ')) ?? 'TIME NaN NaN';
    const [, seconds, kb] = line.split(' ');
    return { seconds: Number(seconds), maxRssMb: Number(kb) / 1024, out };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(stderrFile, { force: true });
  }
}

function addMedia(dir: string, count: number, seed: string): number {
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    // Half random (incompressible, like photos), half repetitive (like text files).
    const body = i % 2 ? randomBytes(MEDIA_BYTES) : Buffer.alloc(MEDIA_BYTES, `${seed} file ${i} `);
    const sha = createHash('sha256').update(body).digest('hex');
    const file = casPathFor(path.join(dir, 'cas'), sha);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    bytes += body.length;
  }
  return bytes;
}

/** The newest `count` messages of each channel, which buildVault left out: a day of new history. */
function addNewestMessages(dir: string, world: ReturnType<typeof benchmarkWorld>, count: number): number {
  const vault = Vault.open(dir, { purpose: 'bench' });
  let added = 0;
  try {
    const ingest = new MessageIngest(vault, new MediaPool(vault), { cdnBaseUrl: world.cdnBaseUrl });
    for (const history of channelHistories(world)) {
      vault.transaction(() => {
        for (let page = history.count - count; page < history.count; page += 100) {
          const messages = history.page(page, Math.min(history.count, page + 100));
          ingest.writePage(history.channelId, messages);
          added += messages.length;
        }
      });
    }
  } finally {
    vault.close();
  }
  return added;
}

async function run(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-bundle-'));
  const rows: [string, string][] = [];
  try {
    const world = benchmarkWorld(CHANNELS, Math.ceil(MESSAGES / CHANNELS) + 500, 21, 500);
    const guildId = [...world.guilds.keys()][0]!;
    const vaultDir = path.join(root, 'vaults', guildId);
    const started = performance.now();
    const built = buildVault(vaultDir, world, 500);
    const vault = Vault.open(vaultDir, { purpose: 'bench' });
    recordGuildIdentity(vault, { id: guildId, name: 'Bundle bench' });
    vault.close();
    const mediaBytes = addMedia(vaultDir, MEDIA_FILES, 'base');
    const dbBytes = fs.statSync(path.join(vaultDir, 'vault.db')).size;
    console.log(`  built ${built.toLocaleString('en-US')} messages (${(dbBytes / 1048576).toFixed(0)} MB) + ${MEDIA_FILES} media files (${(mediaBytes / 1048576).toFixed(0)} MB) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const env = { GUILD_VAULT_DIR: path.join(root, 'vaults'), GUILD_VAULT_PASSPHRASE: 'bench passphrase' };
    const size = (file: string) => `${(fs.statSync(file).size / 1048576).toFixed(0)} MB`;
    const rate = (seconds: number) => `${((dbBytes + mediaBytes) / 1048576 / seconds).toFixed(0)} MB/s`;

    const full = path.join(root, 'full.gvbundle');
    const plain = timed(['bundle', 'create', guildId, '--out', full], env);
    rows.push([`bundle create, full (${built.toLocaleString('en-US')} messages, ${((dbBytes + mediaBytes) / 1048576).toFixed(0)} MB of vault)`, `${plain.seconds.toFixed(1)} s (${rate(plain.seconds)}), ${plain.maxRssMb.toFixed(0)} MB peak RSS, ${size(full)} on disk`]);
    const sealed = path.join(root, 'sealed.gvbundle');
    const enc = timed(['bundle', 'create', guildId, '--out', sealed, '--encrypt'], env);
    rows.push(['the same, --encrypt (AES-256-GCM, scrypt N=2^17)', `${enc.seconds.toFixed(1)} s (${rate(enc.seconds)}), ${enc.maxRssMb.toFixed(0)} MB peak RSS, ${size(sealed)}`]);
    const check = timed(['bundle', 'verify', sealed], env);
    rows.push(['bundle verify of the encrypted bundle', `${check.seconds.toFixed(1)} s, ${check.maxRssMb.toFixed(0)} MB peak RSS`]);
    const restoreRoot = path.join(root, 'restored');
    const back = timed(['bundle', 'restore', sealed, '--vault', restoreRoot], env);
    rows.push(['bundle restore of the encrypted bundle (every page and file checked)', `${back.seconds.toFixed(1)} s, ${back.maxRssMb.toFixed(0)} MB peak RSS`]);
    fs.rmSync(restoreRoot, { recursive: true, force: true });

    // A day later: 10,000 new messages (the vault's last 500 per channel) and 20 new files.
    const grown = built + addNewestMessages(vaultDir, world, 500);
    addMedia(vaultDir, 20, 'new');
    const inc = path.join(root, 'inc.gvbundle');
    const incremental = timed(['bundle', 'create', guildId, '--out', inc, '--since', full, '--json'], env);
    const manifest = (JSON.parse(incremental.out) as { manifest: { pagesIncluded: number; pageCount: number } }).manifest;
    rows.push([
      `bundle create --since, after ${(grown - built).toLocaleString('en-US')} new messages and 20 files`,
      `${incremental.seconds.toFixed(1)} s, ${incremental.maxRssMb.toFixed(0)} MB peak RSS, ${size(inc)} (${manifest.pagesIncluded.toLocaleString('en-US')} of ${manifest.pageCount.toLocaleString('en-US')} pages)`,
    ]);
    const chain = timed(['bundle', 'restore', inc, '--vault', restoreRoot], env);
    rows.push(['bundle restore of the chain (full + incremental)', `${chain.seconds.toFixed(1)} s, ${chain.maxRssMb.toFixed(0)} MB peak RSS`]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log('| measure | result |\n|---|---|');
  for (const [what, value] of rows) console.log(`| ${what} | ${value} |`);
  record('bundle', rows.map(([what, figure]) => ({ what, figure })));
}

export const benchmark: Benchmark = { name: 'bundle', run };
