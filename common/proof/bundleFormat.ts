import { z } from 'zod';
import { Sha256Schema } from '../domain/legalEffect';
import { IsoInstantSchema } from '../domain/time';

// The evidence bundle of one service (issue 9): a ZIP the hub builds (server/proof/bundle.ts) and
// anyone can check (verifyBundle.ts, `npm run verify`). Its format is written down for a court's
// own tools in docs/evidence-bundle.md; this file is that format in code, one home for the entry
// names and the manifest's schema.

export const BUNDLE_FORMAT = 'delivery-desk.evidence-bundle/1';
export const MANIFEST_PATH = 'manifest.json';

/** Fixed entry paths; recordings, documents and signatures are named by their SHA-256. */
export const BUNDLE_PATHS = {
  proof: 'proof/proof.pdf',
  proofFacts: 'proof/proof-facts.json',
  auditExcerpt: 'audit/excerpt.json',
  documentHashes: 'documents/hashes.json',
  messages: 'messages/messages.json',
  portalEvents: 'portal/events.json',
} as const;

export const ENTRY_ROLES = [
  'proof',
  'proof_facts',
  'audit_excerpt',
  'recording',
  'document_hashes',
  'document',
  'messages',
  'portal_events',
  'address_confirmation',
  'signature',
] as const;
export type EntryRole = (typeof ENTRY_ROLES)[number];

/** A ZIP entry's name: relative, forward slashes, no `..`, no empty or dot segments. */
const EntryPath = z
  .string()
  .max(300)
  .regex(/^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'a plain relative path');

export const ManifestEntrySchema = z.object({
  path: EntryPath,
  role: z.enum(ENTRY_ROLES),
  mediaType: z.string().max(100),
  size: z.number().int().min(0),
  sha256: Sha256Schema,
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const BundleManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  /** The hub that filed the proof and built the bundle. */
  hub: z.object({
    /** Its public address (where `/verify` is), null when not configured. */
    url: z.string().max(500).nullable(),
    /** The seal certificate's subject, as the seal names it; null for a proof not sealed. */
    sealSigner: z.string().max(500).nullable(),
  }),
  taskId: z.string().min(1).max(100),
  proofId: z.string().min(1).max(64),
  /** The sealed proof's SHA-256 (the whole file, as filed). */
  proofSha256: Sha256Schema,
  /** When the proof was sealed (or issued, if not sealed): also every entry's ZIP date. */
  createdAt: IsoInstantSchema,
  /** The audit chain's head the excerpt ends at (the one the proof prints). */
  auditHead: z.object({ seq: z.number().int().min(1), hash: Sha256Schema }),
  /** Whether the documents' files are in the bundle, or only their hashes. */
  documentsIncluded: z.boolean(),
  /** Every entry but the manifest itself, in the ZIP's order. */
  entries: z.array(ManifestEntrySchema).min(1).max(10_000),
  /** A copy of the seal's root certificate, for convenience only: a verifier never trusts it. */
  rootCertificatePem: z.string().max(20_000).nullable(),
});
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

/** documents/hashes.json: every document of the task, whether its file is in the bundle or not. */
export const DocumentHashesSchema = z.array(
  z.object({
    title: z.string().max(200),
    kind: z.string().max(100),
    copies: z.number().int().min(1).max(99),
    sha256: Sha256Schema.nullable(),
    /** The entry holding the file, or null when only its hash is given. */
    path: EntryPath.nullable(),
  }),
);

/** messages/messages.json: the sent-message records, exact content, addresses, sender, times. */
export const MessageRecordSchema = z.object({
  id: z.string(),
  sendId: z.string(),
  channel: z.string(),
  address: z.string(),
  sender: z.string(),
  subject: z.string().nullable(),
  /** The exact text, with the link's token shown as {token} (the hub keeps only its hash). */
  content: z.string(),
  /** SHA-256 of the exact text as sent, token included. */
  contentSha256: Sha256Schema.nullable(),
  templateId: z.string(),
  templateParams: z.record(z.string(), z.string()),
  documents: z.array(z.object({ title: z.string(), kind: z.string(), sha256: z.string() })),
  status: z.string(),
  failureReason: z.string().nullable(),
  providerRef: z.string().nullable(),
  createdAt: IsoInstantSchema,
  sentAt: IsoInstantSchema.nullable(),
  deliveredAt: IsoInstantSchema.nullable(),
});
export const MessageRecordsSchema = z.array(MessageRecordSchema);
export type MessageRecord = z.infer<typeof MessageRecordSchema>;

/** portal/events.json: every event of the task's messages, with where it came from. */
export const PortalEventRecordSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  kind: z.string(),
  at: IsoInstantSchema,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  /** The evidence the event stored (a signature PNG, the signed address confirmation). */
  blobSha256: Sha256Schema.nullable(),
  path: EntryPath.nullable(),
});
export const PortalEventRecordsSchema = z.array(PortalEventRecordSchema);
export type PortalEventRecord = z.infer<typeof PortalEventRecordSchema>;

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'application/pdf': 'pdf',
  'image/png': 'png',
  'application/json': 'json',
};

const FOLDERS = {
  recording: 'recordings/',
  document: 'documents/',
  signature: 'portal/signatures/',
  address_confirmation: 'portal/address-confirmation-',
} as const;

/** The entry name for a file held by hash: `recordings/<sha256>.webm`, `documents/<sha256>.pdf`, … */
export function hashedEntryPath(role: keyof typeof FOLDERS, sha256: string, mediaType: string): string {
  const ext = EXTENSIONS[mediaType.split(';')[0]!.trim()] ?? 'bin';
  return `${FOLDERS[role]}${sha256}.${ext}`;
}
