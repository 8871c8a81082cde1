import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/chromium';
import { ensureNodeBundles, startHostProcess, type HostProcess } from '../e2e/support/hostProcess';
import type { FirstCallTiming, StartupTimings } from '../main/app/startupTimings';
import { percentile, round } from './stats';

// `startMs`: from spawning the browser host to an interactive queue of all tasks, seen from
// Chromium, plus where the time goes. Every point is put on one time line (ms since the spawn)
// from three clocks on the same machine: this process, the host (`--timings`) and the page
// (`desk:*` performance marks, navigation and resource timing).

/** The points of the time line, in the order they are normally reached. */
export const START_POINTS = [
  'modulesLoaded', // host: Node started, our modules loaded (and, with tsx, compiled)
  'databaseOpened', // host: SQLite opened, pragmas set, migrations checked
  'backendReady', // host: handlers and their statements ready
  'listening', // host: Fastify registered and listening; DESK_URL printed next
  'urlSeen', // bench: the URL line read
  'navigationStart', // page: the browser starts loading the URL
  'documentLoaded', // page: index.html received
  'assetsLoaded', // page: the last script/stylesheet of the first load received
  'boot', // page: every module of the entry evaluated
  'firstRender', // page: React committed the first render
  'socketOpen', // page: WebSocket open
  'session', // page: sessionInfo answered
  'counts', // page: queueCounts answered
  'firstPage', // page: the first queuePage answered
  'interactive', // bench: first row visible and the total shown
] as const;
export type StartPoint = (typeof START_POINTS)[number];

export interface StartRun {
  ms: number;
  points: Partial<Record<StartPoint, number>>;
  firstCalls: Record<string, number>;
  assets: { js: number; css: number; jsDecoded: number; cssDecoded: number };
}

interface PageTimeline {
  origin: number;
  marks: Record<string, number>;
  documentEnd: number;
  assetsEnd: number;
  assets: StartRun['assets'];
}

interface PageElement {
  textContent: string | null;
  getBoundingClientRect(): { height: number };
}

const epochNow = () => performance.timeOrigin + performance.now();

// Runs in the page (as a string: this project's Node side has no DOM types).
const PAGE_TIMELINE_SCRIPT = `(() => {
  const marks = {};
  for (const mark of performance.getEntriesByType('mark')) {
    if (mark.name.startsWith('desk:')) marks[mark.name.slice(5)] = mark.startTime;
  }
  const [navigation] = performance.getEntriesByType('navigation');
  const assets = { js: 0, css: 0, jsDecoded: 0, cssDecoded: 0 };
  let assetsEnd = 0;
  for (const r of performance.getEntriesByType('resource')) {
    const path = new URL(r.name).pathname;
    const kind = path.endsWith('.js') ? 'js' : path.endsWith('.css') ? 'css' : null;
    // Only what the first load needed: a chunk loaded after boot (a lazy view) is not counted.
    if (!kind || r.startTime > (marks.boot ?? Infinity)) continue;
    assets[kind] += r.transferSize;
    assets[kind === 'js' ? 'jsDecoded' : 'cssDecoded'] += r.decodedBodySize;
    assetsEnd = Math.max(assetsEnd, r.responseEnd);
  }
  return { origin: performance.timeOrigin, marks, documentEnd: navigation ? navigation.responseEnd : 0, assetsEnd, assets };
})()`;

const pageTimeline = (page: Page) => page.evaluate<PageTimeline>(PAGE_TIMELINE_SCRIPT);

function parseLater(host: HostProcess) {
  let timings: StartupTimings | null = null;
  const firstCalls: Record<string, number> = {};
  for (const line of host.laterLines) {
    if (line.startsWith('DESK_TIMINGS ')) timings = JSON.parse(line.slice(13)) as StartupTimings;
    if (line.startsWith('DESK_FIRST_CALL ')) {
      const call = JSON.parse(line.slice(16)) as FirstCallTiming;
      firstCalls[call.call] = call.ms;
    }
  }
  return { timings, firstCalls };
}

/** One start: spawn the host on the database, open the desk, wait until the queue is usable. */
async function startOnce(
  page: Page,
  hostArgs: string[],
  tasks: number,
  hostEntry?: string[],
): Promise<StartRun> {
  const spawnedAt = epochNow();
  const host = await startHostProcess([...hostArgs, '--timings'], { entry: hostEntry });
  const urlSeen = epochNow() - spawnedAt;
  try {
    await page.goto(host.url);
    // Interactive: a first row laid out and the total shown, checked in one predicate each
    // frame (two waits one after the other would add a round trip to the browser).
    await page.waitForFunction(
      (total: number) => {
        // In the page (this project's Node side has no DOM types).
        const doc = (globalThis as unknown as { document: { querySelector(s: string): PageElement | null } })
          .document;
        const row = doc.querySelector('[data-testid=queue-row]');
        const shown = doc.querySelector('[data-testid=queue-total]')?.textContent?.replace(/\D/g, '');
        return !!row && row.getBoundingClientRect().height > 0 && shown === String(total);
      },
      tasks,
      { polling: 'raf' },
    );
    const ms = epochNow() - spawnedAt;
    const timeline = await pageTimeline(page);
    const { timings, firstCalls } = parseLater(host);
    const points: StartRun['points'] = { urlSeen, interactive: ms };
    if (timings) {
      for (const [name, at] of Object.entries(timings.marks)) {
        points[name as StartPoint] = timings.origin + at - spawnedAt;
      }
    }
    const fromPage = (at: number) => timeline.origin + at - spawnedAt;
    points.navigationStart = fromPage(0);
    points.documentLoaded = fromPage(timeline.documentEnd);
    points.assetsLoaded = fromPage(timeline.assetsEnd);
    for (const [name, at] of Object.entries(timeline.marks)) points[name as StartPoint] = fromPage(at);
    return { ms, points, firstCalls, assets: timeline.assets };
  } finally {
    await host.stop();
  }
}

const median = (values: number[]) => round(percentile(values, 50), 1);

export interface StartOptions {
  dbPath: string;
  tasks: number;
  now: string;
  runs: number;
  /** Another host to time instead of dist/node/host.mjs (Node's arguments before the host's). */
  hostEntry?: string[];
  /** The renderer that host serves, when not its default. */
  rendererDir?: string;
}

/** `runs` starts on the database (each in a fresh browser context), summarised by medians. */
export async function measureStart(options: StartOptions) {
  if (!options.hostEntry) ensureNodeBundles(); // before the clock: a stale bundle is rebuilt, not timed
  const browser = await launchChromium();
  const empty = createServer((_, res) => res.end('<!doctype html><title>empty</title>')).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((r) => empty.once('listening', r));
  const emptyUrl = `http://127.0.0.1:${(empty.address() as AddressInfo).port}/`;
  const runs: StartRun[] = [];
  const emptySamples: number[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const blank = await browser.newPage();
      const loadStart = epochNow();
      await blank.goto(emptyUrl, { waitUntil: 'load' });
      emptySamples.push(epochNow() - loadStart);
      await blank.close();
      const context = await browser.newContext();
      try {
        runs.push(
          await startOnce(
            await context.newPage(),
            [
              '--db',
              options.dbPath,
              '--now',
              options.now,
              ...(options.rendererDir ? ['--renderer', options.rendererDir] : []),
            ],
            options.tasks,
            options.hostEntry,
          ),
        );
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    empty.close();
  }
  const startMs = median(runs.map((r) => r.ms));
  const emptyPageMs = median(emptySamples);
  const startPoints: Partial<Record<StartPoint, number>> = {};
  for (const point of START_POINTS) {
    const values = runs.flatMap((r) => (r.points[point] === undefined ? [] : [r.points[point]]));
    if (values.length) startPoints[point] = median(values);
  }
  const firstCallMs: Record<string, number> = {};
  for (const call of new Set(runs.flatMap((r) => Object.keys(r.firstCalls)))) {
    firstCallMs[call] = median(runs.flatMap((r) => (call in r.firstCalls ? [r.firstCalls[call]!] : [])));
  }
  const last = runs.at(-1)!;
  return {
    startMs,
    startSamples: runs.map((r) => round(r.ms, 1)),
    emptyPageMs,
    startRatio: round(startMs / emptyPageMs, 1),
    startPoints,
    firstCallMs,
    rendererBytes: last.assets,
  };
}
