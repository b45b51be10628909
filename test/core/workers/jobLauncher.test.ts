import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId as hostThreadId } from 'node:worker_threads';
import { JobLauncher, type LaunchedWorker, type LaunchOptions } from '../../../src/workers/jobLauncher';

/**
 * The launcher starts job workers on its own thread (so the extension host
 * never constructs one); these tests hold it to what JobWorkers relies on from
 * a Worker: messages both ways, the thread id, errors with their code, the
 * exit, terminate, and a result sent just before the exit never lost.
 */
describe('JobLauncher: job workers started off the host thread', function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-launcher-'));
  const options: LaunchOptions = { name: 'guild-vault test', execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 } };
  let launcher: JobLauncher;

  /** A worker script (CommonJS) talking over the port the launcher hands it. */
  function script(name: string, body: string): string {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, `const { workerData, threadId } = require('node:worker_threads');\nconst port = workerData.hostPort;\n${body}\n`);
    return file;
  }

  function exitOf(worker: LaunchedWorker): Promise<number> {
    return new Promise((resolve) => worker.once('exit', resolve));
  }

  beforeEach(async () => {
    launcher = new JobLauncher();
    await launcher.ready;
  });
  afterEach(() => launcher.dispose());
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carries messages both ways, with hostile text byte for byte; the worker runs on a thread of its own whose id stays known after the exit', async () => {
    const echo = script('echo', "port.on('message', (m) => { port.postMessage({ echoed: m, threadId }); if (m === 'bye') process.exit(0); });");
    const worker = launcher.launch(echo, options);
    const hostile = 'Admin\u202e\u0000 \u{1d400}\n[x](command:workbench.action.terminal.sendSequence)';
    const replies: { echoed: string; threadId: number }[] = [];
    worker.on('message', (m: { echoed: string; threadId: number }) => replies.push(m));
    const exit = exitOf(worker);
    worker.postMessage(hostile);
    worker.postMessage('bye');
    assert.equal(await exit, 0);
    assert.deepEqual(replies.map((r) => r.echoed), [hostile, 'bye']);
    assert.notEqual(replies[0]!.threadId, hostThreadId, 'not the host thread');
    assert.equal(worker.threadId, replies[0]!.threadId, 'the handle knows the thread id, after the exit too');
  });

  it('delivers everything a worker sent before it exited before the exit, every time', async () => {
    // Progress, then the result, then the exit: the exit travels on the launcher's channel, the rest on the port.
    const last = script('last', "for (let i = 0; i < 5000; i++) port.postMessage({ type: 'progress', i }); port.postMessage({ type: 'done' }); process.exit(0);");
    for (let round = 0; round < 10; round++) {
      const worker = launcher.launch(last, options);
      let messages = 0;
      let doneBeforeExit = false;
      worker.on('message', (m: { type: string }) => {
        messages++;
        if (m.type === 'done') doneBeforeExit = true;
      });
      const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve(assert.ok(doneBeforeExit, `round ${round}: the result came before the exit`))));
      await exit;
      assert.equal(messages, 5001, `round ${round}`);
    }
  });

  it('reports a crash as an error with its message and code, then an exit', async () => {
    const crash = script('crash', "setTimeout(() => { throw Object.assign(new Error('disk on fire'), { code: 'ERR_TEST_CRASH' }); }, 10);");
    const worker = launcher.launch(crash, options);
    const error = new Promise<Error & { code?: string }>((resolve) => worker.once('error', resolve));
    const code = await exitOf(worker);
    assert.equal((await error).message, 'disk on fire');
    assert.equal((await error).code, 'ERR_TEST_CRASH');
    assert.equal(code, 1);
  });

  it('tells running out of memory by its code', async () => {
    const hog = script('hog', 'const kept = []; for (;;) kept.push(new Array(100000).fill(kept.length));');
    const worker = launcher.launch(hog, { ...options, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
    const error = new Promise<Error & { code?: string }>((resolve) => worker.once('error', resolve));
    await exitOf(worker);
    assert.equal((await error).code, 'ERR_WORKER_OUT_OF_MEMORY');
  });

  it('a missing script is an error and an exit, not a hang', async () => {
    const worker = launcher.launch(path.join(dir, 'no-such-worker.js'), options);
    const error = new Promise<Error>((resolve) => worker.once('error', resolve));
    await exitOf(worker);
    assert.match((await error).message, /no-such-worker|Cannot find module/);
  });

  it('does not keep a process alive once its jobs are over (a CLI or test run ends on its own)', () => {
    const launcherModule = path.resolve(__dirname, '../../../src/workers/jobLauncher.ts');
    const echo = script('once', "port.postMessage('hi'); process.exit(0);");
    const program = `
      const { JobLauncher } = require(${JSON.stringify(launcherModule)});
      const launcher = new JobLauncher();
      launcher.ready.then(() => {
        const worker = launcher.launch(${JSON.stringify(echo)}, ${JSON.stringify(options)});
        worker.on('message', (m) => console.log('got', m));
        worker.on('exit', () => console.log('worker exited'));
      });`;
    const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', program], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(child.signal, null, `the process had to be killed: it did not end on its own (${child.stderr})`);
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, 'got hi\nworker exited\n');
  });

  it('terminate ends a busy worker and resolves on its exit; dispose ends the launcher, and then it starts nothing', async () => {
    const busy = script('busy', "port.postMessage('spinning');\nfor (;;) {}");
    const worker = launcher.launch(busy, options);
    // Terminated once it runs: under load 50 ms was not always enough, and a worker ended while it still started exited with 0.
    await new Promise((resolve) => worker.once('message', resolve));
    const exit = exitOf(worker);
    await worker.terminate();
    assert.equal(await exit, 1);

    const spinning = launcher.launch(busy, options);
    const ended = exitOf(spinning);
    await launcher.dispose();
    assert.equal(typeof (await ended), 'number', 'dispose ended the worker still running');
    assert.equal(launcher.alive, false);
    const refused = launcher.launch(busy, options);
    const error = new Promise<Error>((resolve) => refused.once('error', resolve));
    assert.equal(await exitOf(refused), 1);
    assert.match((await error).message, /launcher stopped/);
  });
});
