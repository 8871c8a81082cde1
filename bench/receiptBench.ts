import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { renderProofPdf } from '../main/receipts/proofPdf';
import { loadReceiptFont, type ReceiptFont } from '../main/receipts/receiptFont';
import { verifyBundle } from '../common/proof/verifyBundle';
import { deliveredTask, deskAuditExcerpt, fileProofOnHub, proofFactsOf } from '../server/test/proofFixture';
import { startSendWorld, type SendWorld } from '../server/test/sendFixture';
import { SAMPLE_PROOF_FACTS } from '../common/proof/sampleProofFacts';
import { createDemoSeal } from '../server/seal/demoSeal';
import { sealPdf } from '../server/seal/pdfSigner';
import { identityFromPem } from '../server/seal/sealIdentity';
import { percentile, round, timeMs } from './stats';

const WARMUP = 5;
const SAMPLES = Number(process.env.BENCH_RECEIPT_SAMPLES ?? 50);

/** The baseline: the smallest PDF PDFKit makes, one line in a standard (not embedded) font. */
function minimalPdf(): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date('2026-11-23T03:20:00Z') } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(12).text('Proof of service', 72, 72);
  doc.end();
  return done;
}

async function sample(work: () => Promise<Uint8Array>) {
  // The first one pays for fontkit's lazily parsed tables and shaping set-up.
  const first = await timeMs(work);
  for (let i = 1; i < WARMUP; i++) await work();
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const { ms: t, value } = await timeMs(work);
    ms.push(t);
    bytes = value.byteLength;
  }
  return { firstMs: first.ms, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), sizeKB: bytes / 1024 };
}

/** Issue 9's proof figures: generation time and size of the 送达回证, against PDFKit's minimal PDF. */
export async function runReceiptBench() {
  const load = await timeMs(() => loadReceiptFont());
  const font = load.value;
  const proof = await sample(() => renderProofPdf(SAMPLE_PROOF_FACTS, font));
  const minimal = await sample(minimalPdf);
  const seal = await sealSample(await renderProofPdf(SAMPLE_PROOF_FACTS, font));
  const bundle = await runBundleBench(font);
  return {
    samples: SAMPLES,
    p50Ms: round(proof.p50Ms),
    p95Ms: round(proof.p95Ms),
    sizeKB: round(proof.sizeKB, 1),
    firstMs: round(proof.firstMs),
    minimal: { p50Ms: round(minimal.p50Ms, 3), sizeKB: round(minimal.sizeKB, 2) },
    ratio: { p50Ms: round(proof.p50Ms / minimal.p50Ms, 1), sizeKB: round(proof.sizeKB / minimal.sizeKB, 1) },
    fontLoadMs: round(load.ms),
    sealP50Ms: round(seal.p50Ms),
    sealP95Ms: round(seal.p95Ms),
    sealedSizeKB: round(seal.sizeKB, 1),
    ...bundle,
  };
}

/** The hub's sealing of the proof (server/seal/pdfSigner.ts) with a demo seal (RSA-2048). */
async function sealSample(pdf: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-seal-'));
  try {
    const paths = await createDemoSeal(dir);
    const identity = await identityFromPem(
      readFileSync(paths.certificates, 'utf8'),
      readFileSync(paths.key, 'utf8'),
    );
    return await sample(() => sealPdf(pdf, identity, { signingTime: new Date() }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 9's bundle figures: the evidence bundle of a task served end to end on a hub (PGlite, the
 * demo seal) with a 3-minute call recording at the recorder's 32 kbps Opus (espeak-ng speech
 * looped by ffmpeg), its size, and the offline verification of it (verifyBundle: unzip, every
 * entry's SHA-256, the seal, the facts, the evidence, the audit excerpt), p50 of SAMPLES.
 */
export async function runBundleBench(font: ReceiptFont) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  let world: SendWorld | null = null;
  try {
    const speech = join(dir, 'speech.wav');
    execFileSync('espeak-ng', ['-v', 'zh', '-s', '150', '-w', speech, BENCH_SPEECH]);
    const recordingFile = join(dir, 'call.webm');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-stream_loop', '-1', '-i', speech, '-t', '180'],
      ...['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', recordingFile],
    ]);
    const recording = readFileSync(recordingFile);
    const demo = await createDemoSeal(join(dir, 'seal'));
    const roots = [readFileSync(demo.root, 'utf8')];
    world = await startSendWorld({}, 15_000, { seal: { kind: 'demo', dir: demo.dir } });
    const delivered = await deliveredTask(world, recording);
    const excerpt = deskAuditExcerpt();
    const facts = await proofFactsOf(world, delivered, excerpt);
    await fileProofOnHub(world, delivered, facts, await renderProofPdf(facts, font), excerpt);
    const response = await world.app.inject({
      method: 'GET',
      url: `/proofs/${facts.proofId}/bundle`,
      headers: { authorization: `Bearer ${world.specA1.token}` },
    });
    if (response.statusCode !== 200) throw new Error(`bundle: ${response.statusCode} ${response.body}`);
    const bundle = new Uint8Array(response.rawPayload);
    const check = async () => {
      const verdict = await verifyBundle(bundle, { trustedRootsPem: roots });
      if (!verdict.ok) throw new Error(`the bundle does not verify: ${verdict.reason} ${verdict.message}`);
      return bundle;
    };
    const verify = await sample(check);
    return {
      verifyP50Ms: round(verify.p50Ms),
      verifyP95Ms: round(verify.p95Ms),
      bundleKB: round(bundle.byteLength / 1024, 1),
      recordingKB: round(recording.byteLength / 1024, 1),
      recordingSeconds: 180,
    };
  } finally {
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const BENCH_SPEECH =
  '您好，这里是人民法院集约送达中心。本次通话将被录音。请确认您的身份和送达地址，' +
  '您是否同意以短信方式接收本案的诉讼文书？';
