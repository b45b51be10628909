/**
 * A unified diff of two texts (for the CLI's `snapshots diff`; VS Code has its
 * own diff editor). Common head and tail are trimmed first, so the LCS table
 * only covers the changed middle: cheap for the small diffs snapshots make.
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

function middleOps(a: string[], b: string[]): Op[] {
  if (a.length * b.length > 25_000_000) {
    // Too large for a table: show it as a replacement rather than run out of memory.
    return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
  }
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
      ops.push({ kind: '-', line: a[i++] }); // deletions first, as diff(1) shows them
    } else {
      ops.push({ kind: '+', line: b[j++] });
    }
  }
  return ops;
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
