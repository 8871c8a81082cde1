import { performance } from 'node:perf_hooks';
import type { DeskBackend } from '../api/dispatcher';

// Where start-up time goes, seen from inside the process. Marks are ms since the process started
// (Node's timeOrigin), so module loading before our first line runs is counted as well; `origin`
// (epoch ms) lets a benchmark put them on one time line with the browser's marks.

export interface StartupTimings {
  /** Epoch ms of the process start. */
  origin: number;
  /** Phase name → ms since the process started, in the order they were reached. */
  marks: Record<string, number>;
}

export interface FirstCallTiming {
  call: string;
  /** ms since the process started when the call arrived, and how long dispatch took. */
  at: number;
  ms: number;
}

const now = () => Math.round(performance.now() * 100) / 100;

export function createStartupTimings(): StartupTimings & { mark(name: string): void } {
  const marks: Record<string, number> = {};
  return {
    origin: Math.round(performance.timeOrigin),
    marks,
    mark(name) {
      marks[name] = now();
    },
  };
}

/** The back end, reporting the first call of each name (cold statements and page cache). */
export function reportFirstCalls(
  backend: DeskBackend,
  report: (timing: FirstCallTiming) => void,
): DeskBackend {
  const seen = new Set<string>();
  return {
    ...backend,
    async dispatch(name, params) {
      if (typeof name !== 'string' || seen.has(name)) return backend.dispatch(name, params);
      seen.add(name);
      const at = now();
      const result = await backend.dispatch(name, params);
      report({ call: name, at, ms: Math.round((now() - at) * 100) / 100 });
      return result;
    },
  };
}
