// A desk process for the crash test: opens the desk on the given folder, answers a call, streams
// the first chunks of the fixture recording, prints {"recordingId", "attemptId", "chunks"} and
// then waits to be killed (SIGKILL) mid-recording.
import { answeredCall, openDeskWithTasks, recordChunks, WEBM_CHUNKS } from './deskFixture';

const [dataDir, count] = process.argv.slice(2);
if (!dataDir || !count) throw new Error('usage: recordingChild.ts DATA_DIR CHUNKS');
const desk = await openDeskWithTasks(dataDir);
const attemptId = await answeredCall(desk);
const chunks = WEBM_CHUNKS.slice(0, Number(count));
const recordingId = await recordChunks(desk, attemptId, chunks);
process.stdout.write(`${JSON.stringify({ recordingId, attemptId, chunks: chunks.length })}\n`);
setInterval(() => undefined, 60_000);
