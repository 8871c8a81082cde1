import { unzipSync } from 'fflate';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { canonicalJson, sha256Hex } from '../audit/chain';
import { verifyAuditExcerpt, type ExcerptProblem } from '../audit/excerpt';
import { computeLegalEffect, type LegalEffect } from '../domain/legalEffect';
import { sameInstant } from '../domain/time';
import {
  BUNDLE_PATHS,
  BundleManifestSchema,
  DocumentHashesSchema,
  MANIFEST_PATH,
  MessageRecordsSchema,
  PortalEventRecordsSchema,
  type BundleManifest,
  type EntryRole,
} from './bundleFormat';
import { readProofPdfInfo } from './pdfProofInfo';
import { verifySealedPdf, type SealFailure, type SealVerdict } from './pdfSeal';
import { effectFactsOf, ProofFactsSchema, type ProofFacts } from './proofFacts';

// The checks of a proof and of an evidence bundle, pure TS so the CLI (`npm run verify`), the hub
// (`/verify`) and any other tool run the same ones. A bundle is checked from the outside in: the
// ZIP and its manifest (every entry listed, of its size and SHA-256), the seal on the proof (by
// the caller's trusted roots only — never the copy in the manifest), the facts the sealed proof
// was rendered from (their SHA-256 is in the PDF's information), then every piece of evidence
// against those facts, and the audit excerpt against the head the proof prints. The first failure
// is the verdict's reason; every check run is listed.

export type SealChecker = (pdf: Uint8Array, trustedRootsPem: readonly string[]) => Promise<SealVerdict>;

export type VerifyReason =
  | 'not_a_bundle'
  | 'manifest_invalid'
  | 'entry_missing'
  | 'entry_unlisted'
  | 'size_mismatch'
  | 'hash_mismatch'
  | SealFailure
  | 'facts_invalid'
  | 'facts_mismatch'
  | 'evidence_mismatch'
  | `audit_${ExcerptProblem}`;

export interface VerifyCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface VerifiedProof {
  proofId: string;
  facts: ProofFacts;
  effect: LegalEffect;
  seal: SealVerdict | null;
}

export type VerifyVerdict =
  | ({ ok: true; checks: VerifyCheck[]; manifest: BundleManifest | null } & VerifiedProof)
  | { ok: false; reason: VerifyReason; message: string; checks: VerifyCheck[] };

export interface VerifyOptions {
  trustedRootsPem: readonly string[];
  /** The seal check (default verifySealedPdf); null only to look at an unsealed proof. */
  checkSeal?: SealChecker | null;
}

const hex = (bytes: Uint8Array) => bytesToHex(sha256(bytes));
const decoder = new TextDecoder('utf-8', { fatal: true });

class Refusal extends Error {
  constructor(
    readonly reason: VerifyReason,
    message: string,
  ) {
    super(message);
  }
}

/** Collects checks; `fail` records the failed one and stops the run with its reason. */
function checklist() {
  const checks: VerifyCheck[] = [];
  return {
    checks,
    pass(check: string, detail: string) {
      checks.push({ check, ok: true, detail });
    },
    fail(check: string, reason: VerifyReason, detail: string): never {
      checks.push({ check, ok: false, detail });
      throw new Refusal(reason, detail);
    },
  };
}
type Checklist = ReturnType<typeof checklist>;

function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}

async function checkSealOn(
  pdf: Uint8Array,
  options: VerifyOptions,
  list: Checklist,
): Promise<SealVerdict | null> {
  const checkSeal = options.checkSeal === undefined ? verifySealedPdf : options.checkSeal;
  if (!checkSeal) {
    list.pass('seal', 'not checked (asked not to)');
    return null;
  }
  const seal = await checkSeal(pdf, options.trustedRootsPem);
  if (!seal.ok) list.fail('seal', seal.reason, `the seal does not verify: ${seal.message}`);
  list.pass('seal', `sealed by ${seal.signer} at ${seal.signedAt}`);
  return seal;
}

/** The facts bound to the PDF: their SHA-256 must be the one the (sealed) PDF states. */
function checkFacts(pdf: Uint8Array, factsJson: unknown, list: Checklist): ProofFacts {
  const parsed = ProofFactsSchema.safeParse(factsJson);
  if (!parsed.success) list.fail('facts', 'facts_invalid', 'the proof facts do not parse');
  const info = readProofPdfInfo(pdf);
  if (!info.factsSha256)
    list.fail('facts', 'facts_mismatch', 'the PDF does not state the SHA-256 of its facts');
  const digest = sha256Hex(canonicalJson(parsed.data));
  if (digest !== info.factsSha256) {
    list.fail('facts', 'facts_mismatch', `the facts hash to ${digest}, the proof states ${info.factsSha256}`);
  }
  if (info.proofId !== parsed.data.proofId) {
    list.fail(
      'facts',
      'facts_mismatch',
      `the facts are of proof ${parsed.data.proofId}, the PDF of ${info.proofId}`,
    );
  }
  list.pass('facts', `the proof was rendered from these facts (SHA-256 ${digest})`);
  return parsed.data;
}

/** A proof PDF on its own: its seal (when a checker is given) and the id it states. */
export async function verifyProofPdf(
  pdf: Uint8Array,
  options: VerifyOptions,
): Promise<
  | {
      ok: true;
      checks: VerifyCheck[];
      proofId: string | null;
      factsSha256: string | null;
      seal: SealVerdict | null;
    }
  | { ok: false; reason: VerifyReason; message: string; checks: VerifyCheck[] }
> {
  const list = checklist();
  try {
    const seal = await checkSealOn(pdf, options, list);
    const info = readProofPdfInfo(pdf);
    return { ok: true, checks: list.checks, proofId: info.proofId, factsSha256: info.factsSha256, seal };
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, reason: error.reason, message: error.message, checks: list.checks };
    throw error;
  }
}

/** An evidence bundle (the ZIP's bytes). */
export async function verifyBundle(zip: Uint8Array, options: VerifyOptions): Promise<VerifyVerdict> {
  const list = checklist();
  try {
    return await runBundleChecks(zip, options, list);
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, reason: error.reason, message: error.message, checks: list.checks };
    throw error;
  }
}

async function runBundleChecks(
  zip: Uint8Array,
  options: VerifyOptions,
  list: Checklist,
): Promise<VerifyVerdict> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch (error) {
    list.fail('zip', 'not_a_bundle', `not a ZIP file: ${(error as Error).message}`);
  }
  const manifestBytes = files[MANIFEST_PATH];
  if (!manifestBytes) list.fail('zip', 'not_a_bundle', `the ZIP has no ${MANIFEST_PATH}`);
  list.pass('zip', `${Object.keys(files).length} entries`);

  let manifestJson: unknown;
  try {
    manifestJson = parseJson(manifestBytes);
  } catch {
    list.fail('manifest', 'manifest_invalid', `${MANIFEST_PATH} is not JSON`);
  }
  const parsed = BundleManifestSchema.safeParse(manifestJson);
  if (!parsed.success) {
    list.fail(
      'manifest',
      'manifest_invalid',
      `${MANIFEST_PATH}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  const manifest = parsed.data;
  list.pass('manifest', `${manifest.entries.length} entries listed, proof ${manifest.proofId}`);

  // Every entry listed is there, of its size and hash; nothing is there that is not listed.
  const listed = new Set<string>([MANIFEST_PATH]);
  for (const entry of manifest.entries) {
    if (listed.has(entry.path)) list.fail('entries', 'manifest_invalid', `${entry.path} is listed twice`);
    listed.add(entry.path);
    const bytes = files[entry.path];
    if (!bytes) list.fail('entries', 'entry_missing', `${entry.path} is listed but not in the ZIP`);
    if (bytes.byteLength !== entry.size) {
      list.fail(
        'entries',
        'size_mismatch',
        `${entry.path} is ${bytes.byteLength} bytes, the manifest says ${entry.size}`,
      );
    }
    const actual = hex(bytes);
    if (actual !== entry.sha256) {
      list.fail(
        'entries',
        'hash_mismatch',
        `${entry.path} hashes to ${actual}, the manifest says ${entry.sha256}`,
      );
    }
  }
  const unlisted = Object.keys(files).filter((name) => !listed.has(name) && !name.endsWith('/'));
  if (unlisted.length) list.fail('entries', 'entry_unlisted', `not in the manifest: ${unlisted.join(', ')}`);
  list.pass('entries', `every entry has its size and SHA-256`);

  const byRole = (role: EntryRole) => manifest.entries.filter((e) => e.role === role);
  const one = (role: EntryRole, path: string) => {
    const entry = byRole(role).find((e) => e.path === path);
    if (!entry) list.fail('entries', 'entry_missing', `the bundle has no ${path}`);
    return { entry, bytes: files[entry.path]! };
  };
  const json = (role: EntryRole, path: string): unknown => {
    try {
      return parseJson(one(role, path).bytes);
    } catch (error) {
      if (error instanceof Refusal) throw error;
      return list.fail('entries', 'manifest_invalid', `${path} is not JSON`);
    }
  };

  // The sealed proof, then the facts it was rendered from.
  const proof = one('proof', BUNDLE_PATHS.proof);
  if (proof.entry.sha256 !== manifest.proofSha256) {
    list.fail('proof', 'hash_mismatch', `the proof in the bundle is not the one the manifest names`);
  }
  const seal = await checkSealOn(proof.bytes, options, list);
  const facts = checkFacts(proof.bytes, json('proof_facts', BUNDLE_PATHS.proofFacts), list);
  if (facts.proofId !== manifest.proofId) {
    list.fail(
      'facts',
      'facts_mismatch',
      `the proof is ${facts.proofId}, the manifest says ${manifest.proofId}`,
    );
  }

  checkEvidence(facts, manifest, files, json, list);

  // The audit excerpt ends at the head the proof prints and holds the proof's audit event.
  const audit = verifyAuditExcerpt(json('audit_excerpt', BUNDLE_PATHS.auditExcerpt), {
    headHash: facts.audit.headHash,
    taskEventSeq: facts.audit.seq,
  });
  if (!audit.ok) list.fail('audit', `audit_${audit.problem}`, `audit excerpt: ${audit.message}`);
  if (audit.head.hash !== manifest.auditHead.hash || audit.head.seq !== manifest.auditHead.seq) {
    list.fail('audit', 'audit_wrong_head', 'the excerpt does not end at the head the manifest names');
  }
  list.pass(
    'audit',
    `${audit.taskEvents.length} task events, chain unbroken to head #${audit.head.seq} ${audit.head.hash}`,
  );

  const effect = computeLegalEffect(effectFactsOf(facts));
  return { ok: true, checks: list.checks, manifest, proofId: facts.proofId, facts, effect, seal };
}

/** Every piece of evidence the proof cites is in the bundle, and says what the proof says. */
function checkEvidence(
  facts: ProofFacts,
  manifest: BundleManifest,
  files: Record<string, Uint8Array>,
  json: (role: EntryRole, path: string) => unknown,
  list: Checklist,
) {
  const withHash = (role: EntryRole, sha: string) =>
    manifest.entries.some((e) => e.role === role && e.sha256 === sha);
  const mismatch: (detail: string) => never = (detail) => list.fail('evidence', 'evidence_mismatch', detail);

  const recording = facts.consent.onCall?.recordingSha256;
  if (recording && !withHash('recording', recording)) {
    mismatch(`the consent recording ${recording} the proof cites is not in the bundle`);
  }
  const confirmation = facts.consent.addressConfirmation?.documentSha256;
  if (confirmation && !withHash('address_confirmation', confirmation)) {
    mismatch(`the signed address confirmation ${confirmation} the proof cites is not in the bundle`);
  }

  const documents = DocumentHashesSchema.safeParse(json('document_hashes', BUNDLE_PATHS.documentHashes));
  if (!documents.success) return mismatch(`${BUNDLE_PATHS.documentHashes} does not parse`);
  for (const d of facts.documents) {
    const listed = documents.data.find((x) => x.sha256 === d.sha256);
    if (!listed) mismatch(`document ${d.title} (${d.sha256}) is not in ${BUNDLE_PATHS.documentHashes}`);
    if (listed.path) {
      const file = files[listed.path];
      if (!file || hex(file) !== d.sha256)
        mismatch(`the file of document ${d.title} is not the one the proof cites`);
    }
  }

  const messages = MessageRecordsSchema.safeParse(json('messages', BUNDLE_PATHS.messages));
  if (!messages.success) return mismatch(`${BUNDLE_PATHS.messages} does not parse`);
  const events = PortalEventRecordsSchema.safeParse(json('portal_events', BUNDLE_PATHS.portalEvents));
  if (!events.success) return mismatch(`${BUNDLE_PATHS.portalEvents} does not parse`);
  for (const c of facts.channels) {
    const m = messages.data.find((x) => x.id === c.sentRef);
    if (!m || m.address !== c.address || m.sender !== c.from || !sameInstant(m.sentAt, c.sentAt)) {
      mismatch(`the message ${c.sentRef} the proof cites is not in the bundle as the proof states it`);
    }
    for (const p of c.portalEvents) {
      const e = events.data.find((x) => x.id === p.ref);
      if (
        !e ||
        e.messageId !== m.id ||
        e.kind !== p.kind ||
        !sameInstant(e.at, p.at) ||
        e.ip !== p.ip ||
        e.userAgent !== p.userAgent
      ) {
        mismatch(`the portal event ${p.ref} the proof cites is not in the bundle as the proof states it`);
      }
    }
  }
  for (const e of events.data) {
    if (
      e.path &&
      e.blobSha256 &&
      !manifest.entries.some((x) => x.path === e.path && x.sha256 === e.blobSha256)
    ) {
      mismatch(`the evidence of portal event ${e.id} is not the file it names`);
    }
  }
  list.pass(
    'evidence',
    `recording, address confirmation, ${facts.documents.length} documents and ${facts.channels.length} messages as the proof cites them`,
  );
}
