/**
 * The outline of a rendered snapshot (src/core/snapshots/render): its sections
 * ("== Roles (12) =="), and in each the entries (roles, categories, channels,
 * threads...) nested by indentation. Property lines ("  color: #ff0000"),
 * permission overwrites and notes are not entries. Plain, so it is unit-tested.
 */
export interface OutlineEntry {
  name: string;
  /** 'section' for "== ... ==", else 'entry'. */
  kind: 'section' | 'entry';
  /** First and last line (0-based, inclusive). */
  startLine: number;
  endLine: number;
  children: OutlineEntry[];
}

const SECTION = /^== (.+?) ==$/;
/** "  color: #fff", "  tags:", "  allow @everyone: ...", "  overwrite member x: (empty)" */
const PROPERTY = /^\s*(?:[a-z_][a-z0-9_]*:(?:\s|$)|(?:allow|deny|overwrite) )/;
/** "(bans: not captured ...)" */
const NOTE = /^\s*\(/;

export function snapshotOutline(text: string): OutlineEntry[] {
  const lines = text.split('\n');
  const sections: OutlineEntry[] = [];
  let stack: { indent: number; entry: OutlineEntry }[] = [];
  const close = (entry: OutlineEntry, line: number) => {
    entry.endLine = Math.max(entry.startLine, line);
  };
  lines.forEach((line, index) => {
    const section = SECTION.exec(line);
    if (section) {
      for (const open of stack) close(open.entry, index - 1);
      const entry: OutlineEntry = { name: section[1]!, kind: 'section', startLine: index, endLine: index, children: [] };
      sections.push(entry);
      stack = [{ indent: -1, entry }];
      return;
    }
    if (!stack.length || !line.trim()) return;
    if (PROPERTY.test(line) || NOTE.test(line)) {
      for (const open of stack) close(open.entry, index);
      return;
    }
    const indent = line.length - line.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const entry: OutlineEntry = { name: line.trim(), kind: 'entry', startLine: index, endLine: index, children: [] };
    stack[stack.length - 1]!.entry.children.push(entry);
    stack.push({ indent, entry });
    for (const open of stack) close(open.entry, index);
  });
  return sections;
}
