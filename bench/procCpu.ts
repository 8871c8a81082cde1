import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// CPU seconds of process trees, read from /proc/<pid>/stat (utime + stime). Chromium starts and
// ends helper processes as it goes, so a sampler follows each tree every half second and keeps,
// per process, the CPU it used since it was first seen in the window.

const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  ppid: number;
  ticks: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function allStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) stats.set(Number(name), stat);
  }
  return stats;
}

/** The root and every process below it. */
function tree(root: number, stats: Map<number, ProcStat>): number[] {
  const pids = [root];
  for (let i = 0; i < pids.length; i++)
    for (const [pid, stat] of stats) if (stat.ppid === pids[i]) pids.push(pid);
  return pids.filter((pid) => stats.has(pid));
}

/** The pid of the process whose command line holds `needle` (and no --type=: Chromium's browser process). */
export function findBrowserProcess(needle: string): number | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(needle) && !cmdline.includes('--type=')) return Number(name);
    } catch {
      // gone
    }
  }
  return null;
}

export interface CpuWindow {
  /** CPU seconds each tree used since the window opened. */
  stop(): Record<string, number>;
}

export function measureCpu(roots: Record<string, number>): CpuWindow {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const owner = new Map<number, string>();
  const sample = (initial: boolean) => {
    const stats = allStats();
    for (const [name, root] of Object.entries(roots)) {
      for (const pid of tree(root, stats)) {
        const ticks = stats.get(pid)!.ticks;
        // A process born inside the window counts from zero.
        if (!first.has(pid)) first.set(pid, initial ? ticks : 0);
        last.set(pid, ticks);
        owner.set(pid, name);
      }
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 500);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      const seconds: Record<string, number> = Object.fromEntries(Object.keys(roots).map((n) => [n, 0]));
      for (const [pid, ticks] of last) seconds[owner.get(pid)!]! += (ticks - first.get(pid)!) / TICKS;
      return seconds;
    },
  };
}
