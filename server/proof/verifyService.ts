import { DateTime } from 'luxon';
import { COURT_TIME_ZONE, sameInstant } from '../../common/domain/time';
import { canonicalJson, sha256Hex } from '../../common/audit/chain';
import { maskPhone } from '../../common/domain/masking';
import { computeLegalEffect } from '../../common/domain/legalEffect';
import { verifySealedPdf, type SealVerdict } from '../../common/proof/pdfSeal';
import { readProofPdfInfo } from '../../common/proof/pdfProofInfo';
import { effectFactsOf, type ProofFacts } from '../../common/proof/proofFacts';
import type { VerifyFact, VerifyReport } from '../../common/proof/verifyReport';
import type { Queryable } from '../db/driver';
import { legalEffectFacts } from '../send/legalFacts';
import { taskIntake } from '../store/messages';
import { sha256Of } from '../store/blobs';
import { filedProof, type FiledProofRecord } from './filedProofs';

// The hub's verification of a proof of service (`/verify`): the seal by the hub's own roots, the
// PDF against the one it filed, and every fact the proof states against what the hub recorded
// itself (documents, consent, messages, arrivals, portal events, and the effect they give).
// Public: addresses and names are masked in what it answers.

/** An instant on the court's clock, as the proof prints it. */
const courtTime = (iso: string | null) =>
  iso ? DateTime.fromISO(iso).setZone(COURT_TIME_ZONE).toFormat('yyyy-MM-dd HH:mm:ss') + '（北京时间）' : '—';

/** 139****5678, z***@example.com: enough to recognise one's own, nothing to harvest. */
export function maskAddress(address: string): string {
  const at = address.indexOf('@');
  if (at > 0) return `${address[0]}***${address.slice(at)}`;
  const digits = address.replace(/\D/g, '');
  return digits.length >= 7 ? maskPhone(digits) : '***';
}
const maskCase = (caseNumber: string) =>
  caseNumber.replace(/\d{3,}(?=号)/, (d) => `${d.slice(0, 1)}${'*'.repeat(d.length - 1)}`);

function sealView(seal: SealVerdict | null): VerifyReport['seal'] {
  if (!seal) return null;
  return seal.ok
    ? { ok: true, signer: seal.signer, signedAt: seal.signedAt, reason: null, message: null }
    : { ok: false, signer: null, signedAt: null, reason: seal.reason, message: seal.message };
}

/** The proof's facts against the hub's records of the task, check by check. */
async function factChecks(db: Queryable, proof: FiledProofRecord): Promise<VerifyFact[]> {
  const facts: ProofFacts = proof.facts;
  const hub = await legalEffectFacts(db, proof.taskId);
  const intake = await taskIntake(db, proof.taskId);
  const checks: VerifyFact[] = [];

  const known = new Set(intake.documents.flatMap((d) => (d.sha256 ? [d.sha256] : [])));
  const unknownDocs = facts.documents.filter((d) => !known.has(d.sha256));
  checks.push({
    check: 'documents',
    matches: unknownDocs.length === 0,
    detail: unknownDocs.length
      ? `不是本案的文书：${unknownDocs.map((d) => d.title).join('、')}`
      : `${facts.documents.length} 份文书的 SHA-256 与案件一致：${facts.documents.map((d) => d.title).join('、')}`,
  });

  const recording = facts.consent.onCall?.recordingSha256 ?? null;
  if (recording) {
    const consents = await db.query<{ sha: string | null }>(
      `SELECT COALESCE(body->>'recordingSha256', blob_sha256) AS sha FROM facts WHERE task_id = $1 AND kind = 'consent'`,
      [proof.taskId],
    );
    const ok = consents.some((c) => c.sha === recording);
    checks.push({
      check: 'consent_recording',
      matches: ok,
      detail: ok
        ? `同意录音 SHA-256 ${recording} 与中心记录一致`
        : `中心没有 SHA-256 为 ${recording} 的同意录音`,
    });
  }
  const confirmation = facts.consent.addressConfirmation;
  if (confirmation) {
    const theirs = hub.consent.addressConfirmation;
    const ok =
      theirs?.documentSha256 === confirmation.documentSha256 &&
      sameInstant(theirs.signedAt, confirmation.signedAt);
    checks.push({
      check: 'address_confirmation',
      matches: ok,
      detail: ok
        ? `送达地址确认书 SHA-256 ${confirmation.documentSha256} 与中心记录一致`
        : '送达地址确认书与中心记录不一致',
    });
  }

  const wrongMessages: string[] = [];
  const wrongArrivals: string[] = [];
  const wrongEvents: string[] = [];
  const labels: string[] = [];
  for (const c of facts.channels) {
    const label = `${c.channel === 'sms' ? '短信' : '电子邮件'} ${maskAddress(c.address)}`;
    labels.push(label);
    const m = hub.channels.find((x) => x.sentRef === c.sentRef);
    if (!m || m.address !== c.address || m.channel !== c.channel || !sameInstant(m.sentAt, c.sentAt)) {
      wrongMessages.push(label);
      continue;
    }
    const same =
      (c.report === null && m.report === null) ||
      (c.report !== null &&
        m.report !== null &&
        c.report.outcome === m.report.outcome &&
        c.report.ref === m.report.ref &&
        sameInstant(c.report.at, m.report.at));
    if (!same) wrongArrivals.push(label);
    for (const e of c.portalEvents) {
      if (!m.portalEvents.some((x) => x.ref === e.ref && x.kind === e.kind && sameInstant(x.at, e.at))) {
        wrongEvents.push(`${label} ${e.kind}`);
      }
    }
  }
  const line = (check: VerifyFact['check'], wrong: string[], ok: string, bad: string): VerifyFact => ({
    check,
    matches: wrong.length === 0,
    detail: wrong.length ? `${bad}：${wrong.join('；')}` : ok,
  });
  checks.push(
    line(
      'messages',
      wrongMessages,
      `送达信息与中心发送记录一致：${labels.join('；') || '无'}`,
      '中心没有这样发送',
    ),
    line('arrival', wrongArrivals, '到达回执与中心记录一致', '到达回执与中心记录不一致'),
    line('portal_events', wrongEvents, '阅知与确认事件与中心记录一致', '中心没有这些事件'),
  );

  const stated = computeLegalEffect(effectFactsOf(facts));
  const recorded = computeLegalEffect(hub);
  const sameEffect =
    stated.rule === recorded.rule &&
    (stated.serviceDate === recorded.serviceDate || sameInstant(stated.serviceDate, recorded.serviceDate));
  checks.push({
    check: 'effect',
    matches: sameEffect,
    detail: sameEffect
      ? `送达日期 ${courtTime(stated.serviceDate)}与中心记录得出的一致（规则 ${stated.rule}）`
      : `凭证：${courtTime(stated.serviceDate)}（${stated.rule}）；中心记录：${courtTime(recorded.serviceDate)}（${recorded.rule}）`,
  });
  return checks;
}

function reportOf(
  proof: FiledProofRecord,
  seal: SealVerdict | null,
  facts: VerifyFact[],
  firstReason: { reason: string; message: string } | null,
): VerifyReport {
  const effect = computeLegalEffect(effectFactsOf(proof.facts));
  const wrong = facts.find((f) => !f.matches);
  const reason =
    firstReason ??
    (seal && !seal.ok ? { reason: seal.reason, message: seal.message } : null) ??
    (!seal
      ? {
          reason: 'not_sealed',
          message: `the proof is not sealed yet (${proof.status}${proof.reason ? `: ${proof.reason}` : ''})`,
        }
      : null) ??
    (wrong ? { reason: 'facts_differ', message: wrong.detail } : null);
  return {
    proofId: proof.proofId,
    verdict: reason ? 'invalid' : 'valid',
    reason: reason?.reason ?? null,
    message: reason?.message ?? '凭证已由中心盖章，所载事实与中心记录一致',
    seal: sealView(seal),
    facts,
    caseNumber: maskCase(proof.facts.case.number),
    court: proof.facts.court.name,
    serviceDate: effect.serviceDate,
    basis: effect.basis,
    rule: effect.rule,
    proofSha256: proof.pdf.byteLength ? sha256Of(proof.pdf) : null,
  };
}

const unknown = (proofId: string | null, message: string): VerifyReport => ({
  proofId,
  verdict: 'unknown',
  reason: 'not_filed',
  message,
  seal: null,
  facts: [],
  caseNumber: null,
  court: null,
  serviceDate: null,
  basis: null,
  rule: null,
  proofSha256: null,
});

/** `GET /verify/:proofId`: the filed proof, its seal and its facts against the hub's records. */
export async function verifyProofId(
  db: Queryable,
  roots: readonly string[],
  proofId: string,
): Promise<VerifyReport> {
  const proof = await filedProof(db, proofId);
  if (!proof) return unknown(proofId, `本中心没有编号为 ${proofId} 的送达凭证`);
  const seal = proof.status === 'sealed' ? await verifySealedPdf(proof.pdf, roots) : null;
  const facts = [
    { check: 'filed' as const, matches: true, detail: `凭证 ${proofId} 已归档` },
    ...(await factChecks(db, proof)),
  ];
  return reportOf(proof, seal, facts, null);
}

/** `POST /verify`: a PDF someone holds — sealed by this hub, the one it filed, its facts true. */
export async function verifyProofPdfAtHub(
  db: Queryable,
  roots: readonly string[],
  pdf: Uint8Array,
): Promise<VerifyReport> {
  const seal = await verifySealedPdf(pdf, roots);
  const info = readProofPdfInfo(pdf);
  if (!info.proofId) {
    return { ...unknown(null, '这不是本系统出具的送达凭证（文件中没有凭证编号）'), seal: sealView(seal) };
  }
  const proof = await filedProof(db, info.proofId);
  if (!proof)
    return { ...unknown(info.proofId, `本中心没有编号为 ${info.proofId} 的送达凭证`), seal: sealView(seal) };
  const samePdf = proof.pdf.byteLength > 0 && sha256Of(pdf) === sha256Of(proof.pdf);
  const factsDigest = sha256Hex(canonicalJson(proof.facts));
  const checks: VerifyFact[] = [
    { check: 'filed', matches: true, detail: `凭证 ${info.proofId} 已归档` },
    {
      check: 'same_pdf',
      matches: samePdf,
      detail: samePdf ? '与中心归档的盖章凭证逐字节相同' : '与中心归档的盖章凭证不是同一文件',
    },
    {
      check: 'facts',
      matches: info.factsSha256 === factsDigest,
      detail:
        info.factsSha256 === factsDigest ? '凭证所载事实即中心归档的事实' : '凭证所载事实与中心归档的不同',
    },
    ...(await factChecks(db, proof)),
  ];
  // The seal's own verdict first: one changed byte is `altered`, an update after sealing `appended`.
  const first = !seal.ok
    ? { reason: seal.reason, message: seal.message }
    : !samePdf
      ? {
          reason: 'not_the_filed_proof',
          message: 'this PDF is not the sealed proof the hub filed under its id',
        }
      : null;
  return reportOf(proof, seal, checks, first);
}
