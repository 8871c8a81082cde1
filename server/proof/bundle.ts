import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { COURT_TIME_ZONE } from '../../common/domain/time';
import { DateTime } from 'luxon';
import {
  BUNDLE_FORMAT,
  BUNDLE_PATHS,
  hashedEntryPath,
  MANIFEST_PATH,
  type BundleManifest,
  type EntryRole,
  type MessageRecord,
  type PortalEventRecord,
} from '../../common/proof/bundleFormat';
import { AuditExcerptSchema } from '../../common/audit/excerpt';
import type { ProofFacts } from '../../common/proof/proofFacts';
import type { Queryable } from '../db/driver';
import { HubError } from '../errors';
import { eventsOf, messagesOfTasks, taskIntake } from '../store/messages';
import { sha256Of } from '../store/blobs';

// The evidence bundle of one filed proof (issue 9; format in docs/evidence-bundle.md, checks in
// common/proof/verifyBundle.ts): one ZIP with the sealed proof and its facts, the recordings, the
// documents' hashes (and files when configured), the sent messages, the portal's event log, the
// signed address confirmation and signatures, and the task's audit excerpt, bound by manifest.json.
// The plan is made from the database first (blobs are named by their SHA-256, re-hashed on arrival,
// so the manifest needs no bytes); the ZIP then streams, one blob read at a time. Deterministic:
// fixed entry order, every entry dated by the proof's seal time, JSON written one way.

/** A proof as the hub filed it (the `proofs` table). */
export interface FiledProof {
  proofId: string;
  taskId: string;
  /** The sealed PDF as filed. */
  pdf: Uint8Array;
  facts: ProofFacts;
  /** When it was sealed, and by whom (the seal certificate's subject); null while not sealed. */
  sealedAt: string | null;
  sealSigner: string | null;
  /** The blob holding the task's audit excerpt, as the desk sent it with the proof. */
  auditExcerptSha256: string | null;
}

export interface BundleOptions {
  /** The hub's public address, named in the manifest. */
  hubUrl: string | null;
  includeDocuments: boolean;
  /** The seal's root certificate, copied into the manifest (never trusted from there). */
  rootCertificatePem: string | null;
}

type Source = { blob: string } | { bytes: Uint8Array };
interface PlannedEntry {
  path: string;
  role: EntryRole;
  mediaType: string;
  size: number;
  sha256: string;
  source: Source;
  /** Deflate JSON; store media and PDFs, which are compressed already. */
  deflate: boolean;
}

export interface BundlePlan {
  manifest: BundleManifest;
  entries: PlannedEntry[];
  /** The ZIP's file name for a download. */
  fileName: string;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
const jsonBytes = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

function inline(
  path: string,
  role: EntryRole,
  mediaType: string,
  bytes: Uint8Array,
  deflate = true,
): PlannedEntry {
  return {
    path,
    role,
    mediaType,
    size: bytes.byteLength,
    sha256: sha256Of(bytes),
    source: { bytes },
    deflate,
  };
}

async function blobSizes(tx: Queryable, shas: readonly string[]): Promise<Map<string, number>> {
  if (!shas.length) return new Map();
  const rows = await tx.query<{ sha256: string; size: string | number }>(
    'SELECT sha256, size FROM blobs WHERE sha256 = ANY($1::text[])',
    [[...new Set(shas)]],
  );
  return new Map(rows.map((r) => [r.sha256, Number(r.size)]));
}

async function readBlob(tx: Queryable, sha256: string): Promise<Uint8Array> {
  const rows = await tx.query<{ data: Uint8Array }>('SELECT data FROM blobs WHERE sha256 = $1', [sha256]);
  if (!rows[0]) throw new HubError('conflict', `the blob ${sha256} is not on the hub`);
  return rows[0].data;
}

/** The desk's excerpt as it sent it; one that does not parse is the desk's to send again. */
function parseExcerpt(bytes: Uint8Array) {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    json = null;
  }
  const parsed = AuditExcerptSchema.safeParse(json);
  if (!parsed.success)
    throw new HubError('conflict', 'the audit excerpt the desk sent with this proof does not parse');
  return parsed.data;
}

/** What goes in the bundle, in order, with the manifest; refuses while evidence is missing. */
export async function planBundle(
  tx: Queryable,
  proof: FiledProof,
  options: BundleOptions,
): Promise<BundlePlan> {
  if (!proof.auditExcerptSha256) {
    throw new HubError('conflict', 'the desk has not sent the audit excerpt of this proof yet');
  }
  const excerpt = parseExcerpt(await readBlob(tx, proof.auditExcerptSha256));

  const recordings = await tx.query<{ sha256: string; mime: string }>(
    `SELECT DISTINCT ON (body->>'sha256') body->>'sha256' AS sha256, body->>'mimeType' AS mime
       FROM facts WHERE task_id = $1 AND kind = 'recording'
      ORDER BY body->>'sha256', received_at, id`,
    [proof.taskId],
  );
  const messages = await messagesOfTasks(tx, [proof.taskId]);
  const events = await eventsOf(
    tx,
    messages.map((m) => m.id),
  );
  const intake = await taskIntake(tx, proof.taskId);
  const documentShas = options.includeDocuments
    ? intake.documents.flatMap((d) => (d.sha256 ? [d.sha256] : []))
    : [];
  const evidenceShas = events.flatMap((e) => (e.blob_sha256 ? [e.blob_sha256] : []));
  const sizes = await blobSizes(tx, [...recordings.map((r) => r.sha256), ...documentShas, ...evidenceShas]);

  const fromBlob = (role: EntryRole, sha256: string, mediaType: string): PlannedEntry => {
    const size = sizes.get(sha256);
    if (size === undefined)
      throw new HubError('conflict', `the ${role} ${sha256} has not reached the hub yet`);
    const path = hashedEntryPath(role as Parameters<typeof hashedEntryPath>[0], sha256, mediaType);
    return { path, role, mediaType, size, sha256, source: { blob: sha256 }, deflate: role !== 'recording' };
  };

  const entries: PlannedEntry[] = [
    inline(BUNDLE_PATHS.proof, 'proof', 'application/pdf', proof.pdf, false),
    inline(BUNDLE_PATHS.proofFacts, 'proof_facts', 'application/json', jsonBytes(proof.facts)),
    inline(BUNDLE_PATHS.auditExcerpt, 'audit_excerpt', 'application/json', jsonBytes(excerpt)),
    ...recordings.map((r) => fromBlob('recording', r.sha256, r.mime ?? 'application/octet-stream')),
  ];

  const documentFiles = new Map<string, PlannedEntry>();
  for (const sha of documentShas) {
    if (!sizes.has(sha) || documentFiles.has(sha)) continue; // a document sent by hash only
    const name = intake.documents.find((d) => d.sha256 === sha)?.fileName ?? '';
    const mediaType = /\.pdf$/i.test(name) || !name ? 'application/pdf' : 'application/octet-stream';
    documentFiles.set(sha, { ...fromBlob('document', sha, mediaType), deflate: false });
  }
  // The proof states each served document's copies; others are listed with one.
  const documentHashes = intake.documents.map((d) => ({
    title: d.title,
    kind: d.kind,
    copies: proof.facts.documents.find((p) => p.sha256 === d.sha256)?.copies ?? 1,
    sha256: d.sha256,
    path: (d.sha256 && documentFiles.get(d.sha256)?.path) || null,
  }));
  entries.push(
    inline(BUNDLE_PATHS.documentHashes, 'document_hashes', 'application/json', jsonBytes(documentHashes)),
    ...documentFiles.values(),
  );

  const messageRecords: MessageRecord[] = messages.map((m) => ({
    id: m.id,
    sendId: m.send_id,
    channel: m.channel,
    address: m.address,
    sender: m.sender,
    subject: m.subject,
    content: m.content,
    contentSha256: m.content_sha256,
    templateId: m.template_id,
    templateParams: m.template_params,
    documents: m.documents,
    status: m.status,
    failureReason: m.failure_reason,
    providerRef: m.provider_ref,
    createdAt: m.created_at.toISOString(),
    sentAt: iso(m.sent_at),
    deliveredAt: iso(m.delivered_at),
  }));
  entries.push(inline(BUNDLE_PATHS.messages, 'messages', 'application/json', jsonBytes(messageRecords)));

  // The portal's evidence files: the signed address confirmation (JSON) and signature PNGs.
  const evidence = new Map<string, PlannedEntry>();
  for (const e of events) {
    if (!e.blob_sha256 || evidence.has(e.blob_sha256)) continue;
    const confirmation = e.kind === 'address_signed';
    evidence.set(
      e.blob_sha256,
      confirmation
        ? fromBlob('address_confirmation', e.blob_sha256, 'application/json')
        : { ...fromBlob('signature', e.blob_sha256, 'image/png'), deflate: false },
    );
  }
  const eventRecords: PortalEventRecord[] = events.map((e) => ({
    id: e.id,
    messageId: e.message_id,
    kind: e.kind,
    at: e.at.toISOString(),
    ip: e.ip,
    userAgent: e.user_agent,
    details: e.details,
    blobSha256: e.blob_sha256,
    path: e.blob_sha256 ? (evidence.get(e.blob_sha256)?.path ?? null) : null,
  }));
  entries.push(
    inline(BUNDLE_PATHS.portalEvents, 'portal_events', 'application/json', jsonBytes(eventRecords)),
    ...evidence.values(),
  );

  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    hub: { url: options.hubUrl, sealSigner: proof.sealSigner },
    taskId: proof.taskId,
    proofId: proof.proofId,
    proofSha256: entries[0]!.sha256,
    createdAt: proof.sealedAt ?? proof.facts.issuedAt,
    auditHead: excerpt.head,
    documentsIncluded: options.includeDocuments,
    entries: entries.map(({ path, role, mediaType, size, sha256 }) => ({
      path,
      role,
      mediaType,
      size,
      sha256,
    })),
    rootCertificatePem: options.rootCertificatePem,
  };
  return { manifest, entries, fileName: `evidence-${proof.proofId}.zip` };
}

/** ZIP dates are wall-clock fields with no zone: the court's, whatever the hub's zone is. */
function zipDate(instant: string): Date {
  const wall = DateTime.fromISO(instant, { setZone: true }).setZone(COURT_TIME_ZONE);
  return new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/**
 * The ZIP, chunk by chunk: manifest.json first, then the entries in the manifest's order. One
 * blob is read from the database at a time, when the reader asks for more.
 */
export async function* streamBundle(tx: Queryable, plan: BundlePlan): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  const mtime = zipDate(plan.manifest.createdAt);
  const add = (path: string, bytes: Uint8Array, deflate: boolean) => {
    const file = deflate ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    file.mtime = mtime;
    zip.add(file);
    file.push(bytes, true);
  };
  add(MANIFEST_PATH, jsonBytes(plan.manifest), true);
  for (const entry of plan.entries) {
    const bytes = 'bytes' in entry.source ? entry.source.bytes : await readBlob(tx, entry.source.blob);
    add(entry.path, bytes, entry.deflate);
    if (failure) throw failure;
    yield* ready.splice(0);
  }
  zip.end();
  if (failure) throw failure;
  yield* ready.splice(0);
}
