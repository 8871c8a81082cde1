import { residentIdCheckDigit } from '../../common/intake/idNumber';

// Realistic, deterministic intake data in the case system's JSON format (DOMAIN.md): used by the
// demo set, the tests and the benchmarks. Names, numbers and courts are made up.

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红林斌宇浩凯鑫海波晨阳雪梅琳慧颖婷';
const COURTS = [
  { court: '乌海市海南区人民法院', code: '内0303', region: '150303', areaCode: '0473' },
  { court: '上海市闵行区人民法院', code: '沪0112', region: '310112', areaCode: '021' },
  { court: '武汉市江岸区人民法院', code: '鄂0102', region: '420102', areaCode: '027' },
  { court: '青岛市黄岛区人民法院', code: '鲁0211', region: '370211', areaCode: '0532' },
];
const DEPARTMENTS = ['民事审判第一庭', '民事审判第二庭', '商事审判庭', '速裁庭', '执行局'];
const CAUSES = [
  '民间借贷纠纷',
  '买卖合同纠纷',
  '离婚纠纷',
  '劳动争议',
  '物业服务合同纠纷',
  '机动车交通事故责任纠纷',
  '信用卡纠纷',
  '房屋租赁合同纠纷',
];
const DOCUMENT_SETS = [
  ['起诉状副本', '应诉通知书', '举证通知书', '传票'],
  ['应诉通知书', '举证通知书'],
  ['传票'],
  ['民事判决书'],
  ['民事裁定书'],
];
const STREETS = ['海北路', '人民路', '解放大道', '黄河西街', '滨海大道', '七宝镇新镇路', '长江路'];
const COMPANIES = [
  '建设工程有限公司',
  '商贸有限公司',
  '物业管理有限公司',
  '信息技术有限公司',
  '餐饮管理有限公司',
];

/** A small seeded PRNG (mulberry32): the same seed gives the same data on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoOptions {
  count: number;
  seed?: number;
  /** YYYY-MM-DD; deadlines fall from 10 days before to 30 days after it. */
  today: string;
  sourceSystem?: string;
  /** Prefix of sourceTaskId, so several generated sets don't collide. */
  idPrefix?: string;
  /**
   * Leave some ID numbers blank, as courts do (a third of organizations, one person in twenty).
   * Off for the benchmarks, whose searches include ID tails.
   */
  someIdsUnknown?: boolean;
}

export type RawIntakeTask = Record<string, unknown>;

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function generateDemoTasks(options: DemoOptions): RawIntakeTask[] {
  const random = seededRandom(options.seed ?? 20261122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const chars = (text: string) => Array.from(text);
  const tasks: RawIntakeTask[] = [];
  for (let i = 0; i < options.count; i++) {
    const court = pick(COURTS);
    const year = 2025 + Math.floor(random() * 2);
    const caseNumber = `(${year})${court.code}民初${1000 + Math.floor(random() * 9000)}号`;
    const isOrganization = random() < 0.12;
    // Two-character names are common; three-character ones too.
    const personName =
      pick(chars(SURNAMES)) + pick(chars(GIVEN)) + (random() < 0.55 ? pick(chars(GIVEN)) : '');
    const name = isOrganization
      ? `${court.court.slice(0, 2)}${pick(chars(GIVEN))}${pick(chars(GIVEN))}${pick(COMPANIES)}`
      : personName;
    const birth = `${1950 + Math.floor(random() * 50)}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const first17 = `${court.region}${birth}${digits(3)}`;
    const knownId = isOrganization
      ? `91${court.region}${digits(9)}X`
      : first17 + residentIdCheckDigit(first17);
    // Chosen by index, so the random sequence, and with it the rest of the set, stays the same.
    const idNumber = options.someIdsUnknown && i % (isOrganization ? 3 : 20) === 0 ? '' : knownId;
    const mobile = `1${pick(['3', '5', '7', '8', '9'])}${digits(9)}`;
    const phones = [
      random() < 0.5 ? mobile : `${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`,
    ];
    if (random() < 0.25)
      phones.push(
        `${court.areaCode}-${court.areaCode.length === 3 ? '8' : ''}${digits(7)}${random() < 0.3 ? '转' + digits(3) : ''}`,
      );
    tasks.push({
      sourceSystem: options.sourceSystem ?? '审判管理系统',
      sourceTaskId: `${options.idPrefix ?? 'SD'}${String(i + 1).padStart(7, '0')}`,
      case: {
        number: caseNumber,
        cause: pick(CAUSES),
        court: court.court,
        department: pick(DEPARTMENTS),
        judge: pick(chars(SURNAMES)) + pick(chars(GIVEN)) + pick(chars(GIVEN)),
        clerk: pick(chars(SURNAMES)) + pick(chars(GIVEN)),
      },
      party: {
        name,
        kind: isOrganization ? 'organization' : 'person',
        role: pick(['原告', '被告', '被告', '第三人']),
        idType: isOrganization ? '统一社会信用代码' : '居民身份证',
        idNumber,
        phones,
        addresses: [
          `${court.court.slice(0, 3)}${pick(STREETS)}${1 + Math.floor(random() * 300)}号${1 + Math.floor(random() * 20)}栋${101 + Math.floor(random() * 1800)}室`,
        ],
        ...(random() < 0.3 ? { email: `party${i + 1}@example.cn` } : {}),
      },
      documents: pick(DOCUMENT_SETS).map((title) => ({ title, kind: title })),
      method: 'electronic',
      deadline: addDays(options.today, Math.floor(random() * 41) - 10),
      priority: random() < 0.15 ? 'urgent' : 'normal',
      notes: random() < 0.1 ? '当事人年纪较大，请耐心说明' : '',
    });
  }
  return tasks;
}
