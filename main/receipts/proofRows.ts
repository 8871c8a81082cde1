// What the 送达回证 says, row by row: labels and values in the order a clerk reads them. The PDF
// layout (proofPdf.ts) only draws these rows. The proof is a court document in Chinese, so its
// labels live here, not in the desk's UI locales.
import { DateTime } from 'luxon';
import { COURT_TIME_ZONE } from '../../common/domain/time';
import type { EffectFact, LegalEffect } from '../../common/domain/legalEffect';
import type { ProofChannel, ProofFacts } from '../../common/proof/proofFacts';

/** One paragraph of a cell; `mono` for hashes, numbers and ids, broken at any character. */
export interface Run {
  text: string;
  mono?: boolean;
}
export interface ProofRow {
  label: string;
  value: Run[];
}
export interface ProofSection {
  title: string;
  rows: ProofRow[];
}

export const PROOF_TITLE = '送达回证';
export const PROOF_SUBTITLE = '(电子送达凭证)';

const METHOD_LABEL: Record<ProofFacts['method'], string> = {
  electronic: '电子送达',
  postal: '邮寄送达',
  in_person: '直接送达',
  announcement: '公告送达',
};

/** The legal basis printed for each method (DOMAIN.md "Legal rules"). */
const METHOD_BASIS: Record<ProofFacts['method'], string> = {
  electronic: '《中华人民共和国民事诉讼法》第九十条；《人民法院在线诉讼规则》',
  postal: '《中华人民共和国民事诉讼法》第九十一条',
  in_person: '《中华人民共和国民事诉讼法》第八十八条、第八十九条',
  announcement: '《中华人民共和国民事诉讼法》第九十五条',
};

const RULE_LABEL: Record<LegalEffect['rule'], string> = {
  arrival_on_consent: '受送达人同意并确认送达地址，送达信息到达受送达人特定系统之日为送达日期',
  reply_or_confirm: '受送达人回复或确认收悉之日为送达日期',
  presumed_on_read: '系统显示受送达人已打开并通过身份验证（已阅知），推定送达（可被推翻）',
  not_sent: '尚未发送',
  undelivered: '各渠道均未送达',
  sent_before_consent: '发送早于受送达人同意，不依到达生效，待受送达人确认',
  awaiting_arrival: '已发送，待运营商或邮件服务器回执',
  awaiting_reply: '送达地址非受送达人提供或确认，待受送达人回复或阅知',
};

const BASIS_LABEL: Record<LegalEffect['basis'], string> = {
  confirmed: '确认送达',
  presumed: '推定送达',
  none: '未生效',
};

const CHANNEL_LABEL: Record<ProofChannel['channel'], string> = { sms: '短信', email: '电子邮件' };

const PORTAL_EVENT_LABEL: Record<string, string> = {
  opened: '打开链接',
  verified: '身份验证通过',
  viewed: '查看文书',
  downloaded: '下载文书',
  confirmed: '确认收悉',
  signed: '签名确认',
};

const FACT_LABEL: Record<EffectFact['kind'], string> = {
  consent_on_call: '通话录音中的同意',
  address_confirmation: '送达地址确认书',
  sent: '发送',
  arrival: '到达回执',
  failure: '未送达',
  portal_event: '平台事件',
};

const ROLE_LABEL: Record<string, string> = { person: '自然人', organization: '法人或其他组织' };

/** An instant on the court's clock, with its offset so it cannot be misread. */
export function courtTime(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true })
    .setZone(COURT_TIME_ZONE)
    .toFormat("yyyy-MM-dd HH:mm:ss '(UTC'ZZ')'");
}

const millis = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const text = (t: string): Run => ({ text: t });
const mono = (t: string): Run => ({ text: t, mono: true });
const row = (label: string, ...value: Run[]): ProofRow => ({ label, value });
const none = '无';

/** 短信, 电子邮件; numbered (短信 1, 短信 2) only where a channel was used more than once. */
function channelNames(channels: readonly ProofChannel[]): string[] {
  const seen = new Map<string, number>();
  return channels.map((c) => {
    const n = (seen.get(c.channel) ?? 0) + 1;
    seen.set(c.channel, n);
    const several = channels.filter((o) => o.channel === c.channel).length > 1;
    return several ? `${CHANNEL_LABEL[c.channel]} ${n}` : CHANNEL_LABEL[c.channel];
  });
}

function channelRows(c: ProofChannel, name: string): ProofRow[] {
  const report = c.report
    ? c.report.outcome === 'arrived'
      ? [text(`到达：${courtTime(c.report.at)}`), mono(c.report.ref)]
      : [text(`未送达：${courtTime(c.report.at)}，原因：${c.report.reason}`), mono(c.report.ref)]
    : [text('尚无回执')];
  const events = [...c.portalEvents].sort(
    (a, b) => millis(a.at) - millis(b.at) || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0),
  );
  return [
    row(
      `${name} 发送`,
      text(`${courtTime(c.sentAt)}`),
      text(`送达至：${c.address}`),
      text(`发送方：${c.from}`),
      mono(c.sentRef),
    ),
    row(`${name} 回执`, ...report),
    row(
      `${name} 阅知与确认`,
      ...(events.length
        ? events.map((e) =>
            text(
              `${courtTime(e.at)} ${PORTAL_EVENT_LABEL[e.kind] ?? e.kind}` +
                (e.ip ? `，IP ${e.ip}` : '') +
                (e.userAgent ? `，${e.userAgent}` : ''),
            ),
          )
        : [text(none)]),
    ),
  ];
}

/** The proof's sections: every field of DOMAIN.md's list, in a stable order. */
export function proofSections(facts: ProofFacts, effect: LegalEffect): ProofSection[] {
  const { consent } = facts;
  return [
    {
      title: '一、案件与送达文书',
      rows: [
        row(
          '送达法院',
          text(facts.court.department ? `${facts.court.name} ${facts.court.department}` : facts.court.name),
        ),
        row('案号', text(facts.case.number)),
        row('案由', text(facts.case.cause || none)),
        ...facts.documents.map((d, i) =>
          row(`送达文书 ${i + 1}`, text(`${d.title}（${d.copies} 份）`), mono(`SHA-256 ${d.sha256}`)),
        ),
      ],
    },
    {
      title: '二、受送达人',
      rows: [
        row(
          '受送达人',
          text(`${facts.recipient.name}（${facts.recipient.role || ROLE_LABEL[facts.recipient.kind]}）`),
        ),
        row(
          '代收人',
          ...(facts.receivedBy
            ? [
                text(`${facts.receivedBy.name}（${facts.receivedBy.relation}）`),
                text(`代收原因：${facts.receivedBy.reason}`),
              ]
            : [text(none)]),
        ),
      ],
    },
    {
      title: '三、送达方式与依据',
      rows: [
        row('送达方式', text(METHOD_LABEL[facts.method])),
        row('法律依据', text(METHOD_BASIS[facts.method])),
        row(
          '同意电子送达',
          ...(consent.onCall
            ? [
                text(`通话中同意：${courtTime(consent.onCall.consentedAt)}`),
                mono(`录音 SHA-256 ${consent.onCall.recordingSha256}`),
              ]
            : [text('通话中同意：无')]),
        ),
        row(
          '送达地址确认书',
          ...(consent.addressConfirmation
            ? [
                text(`签署：${courtTime(consent.addressConfirmation.signedAt)}`),
                mono(`SHA-256 ${consent.addressConfirmation.documentSha256}`),
              ]
            : [text(none)]),
        ),
      ],
    },
    {
      title: '四、送达过程',
      rows: facts.channels.length
        ? facts.channels.flatMap((c, i) => channelRows(c, channelNames(facts.channels)[i]!))
        : [row('电子送达', text('未发送'))],
    },
    {
      title: '五、送达效力',
      rows: [
        row('效力', text(effect.effective ? BASIS_LABEL[effect.basis] : BASIS_LABEL.none)),
        row('适用规则', text(RULE_LABEL[effect.rule]), mono(effect.rule)),
        row('送达日期', text(effect.serviceDate ? courtTime(effect.serviceDate) : '—')),
        row(
          '所依据的事实',
          ...(effect.facts.length
            ? effect.facts.map((f) => text(`${courtTime(f.at)} ${FACT_LABEL[f.kind]}：${f.ref}`))
            : [text(none)]),
        ),
        row(
          '纸质文书',
          text(
            effect.paperCopyOnRequest.offered
              ? `受送达人可申请领取纸质文书：${effect.paperCopyOnRequest.documents.join('、')}`
              : none,
          ),
        ),
      ],
    },
    {
      title: '六、其他送达情况',
      rows: [
        row(
          '拒收情况',
          ...(facts.refusal
            ? [
                text(`拒收原因：${facts.refusal.reason}`),
                text(`见证人：${facts.refusal.witnesses.join('、') || none}`),
                ...facts.refusal.photos.map((p) => mono(`照片 ${p.name} SHA-256 ${p.sha256}`)),
              ]
            : [text(none)]),
        ),
        row(
          '邮寄送达',
          ...(facts.postal
            ? [
                text(`邮件号：${facts.postal.trackingNumber}`),
                ...facts.postal.scans.map((s) => mono(`扫描件 ${s.name} SHA-256 ${s.sha256}`)),
              ]
            : [text(none)]),
        ),
        row(
          '未成功事件',
          ...(facts.negativeEvents.length
            ? facts.negativeEvents.map((e) => text(`${courtTime(e.at)} ${e.what}：${e.reason}（${e.ref}）`))
            : [text(none)]),
        ),
      ],
    },
    {
      title: '七、经办与核验',
      rows: [
        row('送达专员', text(`${facts.specialist.name}（工号 ${facts.specialist.id}）`)),
        row('主叫号码', text(facts.callingNumber)),
        row(
          '审计链',
          text(`位置 #${facts.audit.seq}，时间 ${courtTime(facts.audit.at)}`),
          mono(`链头 SHA-256 ${facts.audit.headHash}`),
        ),
        row('凭证编号', mono(facts.proofId)),
        row('核验地址', mono(facts.verifyUrl)),
        row('出具时间', text(courtTime(facts.issuedAt))),
      ],
    },
  ];
}
