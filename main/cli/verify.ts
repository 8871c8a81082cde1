import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BUNDLE_PATHS } from '../../common/proof/bundleFormat';
import type { SealVerdict } from '../../common/proof/pdfSeal';
import {
  verifyBundle,
  verifyProofPdf,
  type SealChecker,
  type VerifyCheck,
} from '../../common/proof/verifyBundle';
import { VerifyReportSchema, type VerifyReport } from '../../common/proof/verifyReport';
import { HubUnreachable, REQUEST_TIMEOUT_MS } from '../sync/hubClient';
import { checkHubUrl } from '../sync/hubUrl';
import { unzipSync } from 'fflate';

// `npm run verify -- FILE [--hub URL] [--root FILE]… [--json]`: checks a proof of service (the
// PDF) or an evidence bundle (the ZIP). Offline, the seal is judged by the roots given with
// --root only (never by the copy a bundle's manifest carries); with --hub, the hub judges the
// proof against its records (POST /verify) — for a bundle, its checks run here as well, the seal
// judged by the hub unless --root is given too. Exit 0 when it verifies, 1 with the reason when
// it does not (or the hub cannot be reached), 2 on usage.

const USAGE =
  'usage: npm run verify -- FILE [--hub URL] [--root ROOT.pem]… [--json]\n' +
  '  FILE  a proof (PDF) or an evidence bundle (ZIP)\n' +
  '  offline, --root (the center’s root certificate) is required; with --hub the hub checks it too\n';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      hub: { type: 'string' },
      root: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
}
try {
  parsed = parse();
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
if (positionals.length !== 1) usage();
const file = positionals[0]!;
if (!values.hub && !values.root?.length) {
  usage(
    'offline verification needs --root FILE: the center’s root certificate (or name a hub with --hub URL)',
  );
}

let bytes: Uint8Array;
try {
  bytes = new Uint8Array(readFileSync(file));
} catch (error) {
  usage(`cannot read ${file}: ${(error as Error).message}`);
}
const roots: string[] = [];
for (const rootFile of values.root ?? []) {
  let pem: string;
  try {
    pem = readFileSync(rootFile, 'utf8');
  } catch (error) {
    usage(`cannot read ${rootFile}: ${(error as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) usage(`${rootFile} holds no PEM certificate`);
  roots.push(pem);
}
let hubUrl: string | null = null;
if (values.hub) {
  try {
    hubUrl = checkHubUrl(values.hub);
  } catch (error) {
    usage((error as Error).message);
  }
}

const kind = bytes[0] === 0x50 && bytes[1] === 0x4b ? 'bundle' : 'pdf';

interface Outcome {
  ok: boolean;
  kind: 'pdf' | 'bundle';
  reason: string | null;
  message: string;
  proofId: string | null;
  serviceDate: string | null;
  rule: string | null;
  seal: SealVerdict | null;
  checks: VerifyCheck[];
  hub: VerifyReport | null;
}

async function askHub(pdf: Uint8Array): Promise<VerifyReport> {
  let response: Response;
  try {
    response = await fetch(`${hubUrl}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', accept: 'application/json' },
      body: new Uint8Array(pdf),
      // A hub that stops answering ends the run as unreachable, not as a hang.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new HubUnreachable(`the hub ${hubUrl} cannot be reached: ${(error as Error).message}`);
  }
  const body: unknown = await response.json().catch(() => null);
  const report = VerifyReportSchema.safeParse(body);
  if (!response.ok || !report.success) {
    throw new HubUnreachable(`the hub answered ${response.status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  }
  return report.data;
}

/** The hub's answer as a check of this run, and its seal verdict as the seal check's. */
function hubChecks(report: VerifyReport): VerifyCheck[] {
  return [
    ...report.facts.map((f) => ({ check: `hub:${f.check}`, ok: f.matches, detail: f.detail })),
    { check: 'hub', ok: report.verdict === 'valid', detail: report.message },
  ];
}
const sealOfReport = (report: VerifyReport): SealVerdict =>
  report.seal?.ok
    ? { ok: true, signer: report.seal.signer ?? '', signedAt: report.seal.signedAt ?? '', contentSha256: '' }
    : {
        ok: false,
        reason: (report.seal?.reason ?? 'not_sealed') as Extract<SealVerdict, { ok: false }>['reason'],
        message: report.seal?.message ?? report.message,
      };

async function verifyPdfFile(): Promise<Outcome> {
  const base = { kind: 'pdf' as const, serviceDate: null, rule: null };
  const local = roots.length ? await verifyProofPdf(bytes, { trustedRootsPem: roots }) : null;
  if (local && !local.ok) {
    return {
      ...base,
      ok: false,
      reason: local.reason,
      message: local.message,
      proofId: null,
      seal: null,
      checks: local.checks,
      hub: null,
    };
  }
  if (!hubUrl) {
    return {
      ...base,
      ok: true,
      reason: null,
      message: `the seal verifies (${local!.seal?.ok ? local!.seal.signer : ''}); without --hub the facts are not checked against the center's records`,
      proofId: local!.proofId,
      seal: local!.seal,
      checks: local!.checks,
      hub: null,
    };
  }
  const report = await askHub(bytes);
  const ok = report.verdict === 'valid';
  return {
    kind: 'pdf',
    ok,
    reason: ok ? null : (report.reason ?? report.verdict),
    message: report.message,
    proofId: report.proofId,
    serviceDate: report.serviceDate,
    rule: report.rule,
    seal: local?.ok ? local.seal : sealOfReport(report),
    checks: [...(local?.checks ?? []), ...hubChecks(report)],
    hub: report,
  };
}

async function verifyBundleFile(): Promise<Outcome> {
  let report: VerifyReport | null = null;
  // With a hub and no root of its own, the seal is the hub's to judge (by its roots).
  const hubSeal: SealChecker = async (pdf) => sealOfReport((report = await askHub(pdf)));
  const verdict = await verifyBundle(bytes, {
    trustedRootsPem: roots,
    ...(roots.length ? {} : { checkSeal: hubSeal }),
  });
  if (hubUrl && roots.length && verdict.ok) {
    const pdf = unzipSync(bytes, { filter: (f) => f.name === BUNDLE_PATHS.proof })[BUNDLE_PATHS.proof]!;
    report = await askHub(pdf);
  }
  const checks = [...verdict.checks, ...(report ? hubChecks(report) : [])];
  if (!verdict.ok) {
    return {
      kind: 'bundle',
      ok: false,
      reason: verdict.reason,
      message: verdict.message,
      proofId: null,
      serviceDate: null,
      rule: null,
      seal: null,
      checks,
      hub: report,
    };
  }
  const hub = report as VerifyReport | null;
  const hubOk = !hub || hub.verdict === 'valid';
  return {
    kind: 'bundle',
    ok: hubOk,
    reason: hubOk ? null : (hub!.reason ?? hub!.verdict),
    message: hubOk
      ? 'every entry, the seal, the facts, the evidence and the audit excerpt verify'
      : hub!.message,
    proofId: verdict.proofId,
    serviceDate: verdict.effect.serviceDate,
    rule: verdict.effect.rule,
    seal: verdict.seal,
    checks,
    hub,
  };
}

function printHuman(o: Outcome): void {
  const lines = o.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.check}: ${c.detail}`);
  lines.push(
    o.ok
      ? `VERIFIED ${o.kind === 'pdf' ? 'proof' : 'bundle'}${o.proofId ? ` ${o.proofId}` : ''}` +
          (o.serviceDate ? `: served ${o.serviceDate} (${o.rule})` : '')
      : `NOT VERIFIED (${o.reason}): ${o.message}`,
  );
  (o.ok ? process.stdout : process.stderr).write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  let outcome: Outcome;
  try {
    outcome = kind === 'pdf' ? await verifyPdfFile() : await verifyBundleFile();
  } catch (error) {
    if (!(error instanceof HubUnreachable)) throw error;
    outcome = {
      kind,
      ok: false,
      reason: 'hub_unreachable',
      message: error.message,
      proofId: null,
      serviceDate: null,
      rule: null,
      seal: null,
      checks: [],
      hub: null,
    };
  }
  if (values.json) process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  else printHuman(outcome);
  process.exitCode = outcome.ok ? 0 : 1;
}

// No top-level await: the CLI is bundled as CommonJS (scripts/build-node.mjs).
void main();
