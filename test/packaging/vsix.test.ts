import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  activationEvents: string[];
};

/** What the extension package ships, as vsce lists it (what `npm run package` puts in the .vsix). */
describe('the .vsix', function () {
  this.timeout(60_000);
  let files: string[];
  before(() => {
    // What vsce packages is what vscode:prepublish builds: build it the same way first (a fresh clone has no dist/).
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--production'], { cwd: REPO, stdio: 'ignore' });
    files = execFileSync(path.join(REPO, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean);
  });

  it('carries the bundle, the changelog and the walkthrough, and no source maps or sources', () => {
    for (const needed of ['dist/extension.js', 'dist/jobWorker.js', 'dist/sql-wasm.wasm', 'CHANGELOG.md', 'README.md', 'package.json']) assert.ok(files.includes(needed), `${needed} in ${files.join(', ')}`);
    assert.ok(files.some((file) => file.startsWith('media/walkthrough/')), 'the walkthrough pages');
    assert.deepEqual(files.filter((file) => file.endsWith('.map') || file.startsWith('src/') || file.startsWith('test/') || file === 'dist/cli.js'), []);
  });

  it('is built once, for production, by vsce itself', () => {
    // vsce runs vscode:prepublish; a build in "package" too would build twice.
    assert.doesNotMatch(manifest.scripts.package!, /npm run build|build\.mjs/);
    assert.match(manifest.scripts['vscode:prepublish']!, /build\.mjs --production/);
  });

  it('activates on its view and commands, not on every window start-up', () => {
    assert.ok(!manifest.activationEvents.includes('onStartupFinished') && !manifest.activationEvents.includes('*'), manifest.activationEvents.join(', '));
    assert.ok(manifest.activationEvents.includes('onView:guildVault.servers'));
  });
});
