// Start-up phases on the browser's performance timeline (`desk:<phase>` marks), read by the
// start-up benchmark (bench/startBench.ts). Each is set once, the first time the phase is reached.

export type StartupPhase = 'boot' | 'firstRender' | 'socketOpen' | 'session' | 'counts' | 'firstPage';

const reached = new Set<StartupPhase>();

export function markStartup(phase: StartupPhase): void {
  if (reached.has(phase)) return;
  reached.add(phase);
  performance.mark(`desk:${phase}`);
}
