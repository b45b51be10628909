import * as fs from 'node:fs';

/**
 * CPU time of each thread of this process from now until stop(), by thread
 * name (Node names worker threads after their `name` option, cut to 15
 * characters by Linux), sampled from /proc every 50 ms: a thread that ends is
 * counted up to its last sample. Empty where there is no /proc.
 */
export function watchThreadCpu(): { stop(): Record<string, number> } {
  const ticksPerSecond = 100; // USER_HZ: what /proc/<pid>/task/<tid>/stat counts in, on every Linux Node runs on
  const last = new Map<string, { name: string; ticks: number }>();
  // What threads alive now had used before: only the time from here on counts.
  const before = new Map<string, number>();
  const sample = () => {
    let tids: string[];
    try {
      tids = fs.readdirSync('/proc/self/task');
    } catch {
      return;
    }
    for (const tid of tids) {
      try {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        last.set(tid, { name, ticks: Number(fields[11]) + Number(fields[12]) }); // utime + stime
      } catch {
        // the thread ended between the listing and the read
      }
    }
  };
  sample();
  for (const [tid, { ticks }] of last) before.set(tid, ticks);
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const byName: Record<string, number> = {};
      for (const [tid, { name, ticks }] of last) byName[name] = (byName[name] ?? 0) + ((ticks - (before.get(tid) ?? 0)) * 1000) / ticksPerSecond;
      return byName;
    },
  };
}
