import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readResults, record, RESULTS_FILE } from '../../bench/results';
import { regenerate } from '../../scripts/benchReadme';

describe('benchmark figures: bench/results.json and the README tables made from it', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gv-bench-results-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records each figure with its load, time and commit; a re-measured row replaces its old self and other rows stay', () => {
    const file = path.join(dir, 'results.json');
    record('search', [{ what: 'query', figure: '5 ms', goal: '< 50 ms' }, { what: 'index', figure: '2 s' }], file);
    record('search', [{ what: 'query', figure: '4 ms', goal: '< 50 ms' }], file);
    const rows = readResults(file).tables.search!.rows;
    assert.deepEqual(rows.map((row) => [row.what, row.figure]), [['query', '4 ms'], ['index', '2 s']]);
    for (const row of rows) {
      assert.equal(typeof row.load, 'number');
      assert.ok(!Number.isNaN(Date.parse(row.measuredAt)));
      assert.ok(row.commit.length > 0);
    }
  });

  it('rewrites only the marked blocks, showing the load of every row, and leaves a block without results alone', () => {
    const file = path.join(dir, 'results.json');
    record('search', [{ what: 'a | b', figure: '1 ms' }], file);
    const readme = 'intro\n<!-- bench:search -->\nold hand-typed table\n<!-- /bench:search -->\nmiddle\n<!-- bench:later -->\nkept\n<!-- /bench:later -->\n';
    const { text, missing } = regenerate(readme, readResults(file));
    assert.deepEqual(missing, ['later']);
    assert.doesNotMatch(text, /old hand-typed table/);
    assert.match(text, /\| a \\\| b \| 1 ms \|  \| \d+\.\d \((quiet|busy|loaded)\) \|/);
    assert.match(text, /<!-- bench:later -->\nkept\n<!-- \/bench:later -->/);
    assert.ok(text.startsWith('intro\n') && text.includes('\nmiddle\n'));
  });

  it('README.md holds exactly what bench/results.json says (run npm run bench:readme after a bench)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    assert.equal(regenerate(readme, readResults(RESULTS_FILE)).text, readme);
  });
});
