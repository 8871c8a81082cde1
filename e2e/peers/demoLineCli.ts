import { startDemoLine } from './demoLine';

// The demo line as its own process, started by the browser host (main/host/demoLine.ts). It prints
// one line, `DEMO_LINE {account}` or `DEMO_LINE_UNAVAILABLE {reason}`, and runs until its stdin
// closes (the host stopped or died) or it gets SIGTERM; then it stops Kamailio and the party.

const print = (line: string) => process.stdout.write(`${line}\n`);

try {
  const line = await startDemoLine();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await line.stop();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  print(`DEMO_LINE ${JSON.stringify(line.account)}`);
} catch (error) {
  print(`DEMO_LINE_UNAVAILABLE ${JSON.stringify(error instanceof Error ? error.message : String(error))}`);
  process.exit(0);
}
