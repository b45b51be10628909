/**
 * A unified diff of two texts (for the CLI's `snapshots diff`; VS Code has its
 * own diff editor). Common head and tail are trimmed first, then Myers'
 * algorithm finds the edits in the middle.
 */
export function unifiedDiff(before: string, after: string, options: { from?: string; to?: string; context?: number } = {}): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const context = options.context ?? 3;
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops = middleOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  if (ops.length === 0) return '';
  const all: Op[] = [
    ...a.slice(0, head).map((line): Op => ({ kind: ' ', line })),
    ...ops,
    ...a.slice(a.length - tail).map((line): Op => ({ kind: ' ', line })),
  ];
  return `--- ${options.from ?? 'before'}\n+++ ${options.to ?? 'after'}\n${hunks(all, context).join('')}`;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Beyond this many changed lines a diff is shown as one replacement (bounded time and memory). */
const MAX_EDITS = 4000;

/**
 * Myers' O((N+M)D) shortest edit script: fast when the texts differ in few
 * lines, whatever their length. Each step keeps only the diagonals it reached
 * (2d+3 numbers), so memory grows with the number of edits, not the text.
 */
function middleOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(max, MAX_EDITS); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace);
    }
  }
  return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
}

function backtrack(a: string[], b: string[], trace: Int32Array[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const at = (k: number) => trace[d][k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: ' ', line: a[--x] }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y] });
      else ops.push({ kind: '-', line: a[--x] });
    }
  }
  return ops.reverse();
}

function hunks(ops: Op[], context: number): string[] {
  const out: string[] = [];
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index].kind === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    // Extend while the next change is within 2 * context lines.
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap].kind === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const slice = ops.slice(start, stop);
    const aStart = ops.slice(0, start).filter((op) => op.kind !== '+').length + 1;
    const bStart = ops.slice(0, start).filter((op) => op.kind !== '-').length + 1;
    const aCount = slice.filter((op) => op.kind !== '+').length;
    const bCount = slice.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@\n`, ...slice.map((op) => `${op.kind}${op.line}\n`));
    index = stop;
  }
  return out;
}
