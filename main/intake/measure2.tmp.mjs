// main/intake/measure2.tmp.ts
import { readFileSync } from "node:fs";
import { parse as parse2 } from "csv-parse/sync";

// common/intake/formulaCells.ts
var FORMULA_START = /^[=+\-@]/;
function neutralizeFormula(cell) {
  const text3 = cell.trim();
  return FORMULA_START.test(text3) ? `'${text3}` : text3;
}

// common/intake/csvColumns.ts
var CSV_COLUMNS = [
  { name: "sourceSystem", label: "\u6765\u6E90\u7CFB\u7EDF" },
  { name: "sourceTaskId", label: "\u6765\u6E90\u7F16\u53F7" },
  { name: "caseNumber", label: "\u6848\u53F7" },
  { name: "cause", label: "\u6848\u7531" },
  { name: "court", label: "\u6CD5\u9662" },
  { name: "department", label: "\u627F\u529E\u90E8\u95E8" },
  { name: "judge", label: "\u627F\u529E\u6CD5\u5B98" },
  { name: "clerk", label: "\u4E66\u8BB0\u5458" },
  { name: "partyName", label: "\u5F53\u4E8B\u4EBA" },
  { name: "partyKind", label: "\u5F53\u4E8B\u4EBA\u7C7B\u578B" },
  { name: "partyRole", label: "\u8BC9\u8BBC\u5730\u4F4D" },
  { name: "idType", label: "\u8BC1\u4EF6\u7C7B\u578B" },
  { name: "idNumber", label: "\u8BC1\u4EF6\u53F7\u7801" },
  { name: "phones", label: "\u8054\u7CFB\u7535\u8BDD" },
  { name: "addresses", label: "\u9001\u8FBE\u5730\u5740" },
  { name: "email", label: "\u7535\u5B50\u90AE\u7BB1" },
  { name: "documents", label: "\u9001\u8FBE\u6587\u4E66" },
  { name: "method", label: "\u9001\u8FBE\u65B9\u5F0F" },
  { name: "deadline", label: "\u9001\u8FBE\u671F\u9650" },
  { name: "priority", label: "\u4F18\u5148\u7EA7" },
  { name: "notes", label: "\u5907\u6CE8" }
];
var REQUIRED_CSV_COLUMNS = [
  "sourceTaskId",
  "caseNumber",
  "court",
  "partyName",
  "documents"
];
var COLUMN_BY_HEADER = new Map(
  CSV_COLUMNS.flatMap(({ name, label }) => [
    [name.toLowerCase(), name],
    [label, name]
  ])
);
function mapCsvHeader(header) {
  const columns = header.map((cell) => {
    const trimmed = cell.trim();
    return COLUMN_BY_HEADER.get(trimmed) ?? COLUMN_BY_HEADER.get(trimmed.toLowerCase()) ?? null;
  });
  const seen = /* @__PURE__ */ new Set();
  const duplicates = /* @__PURE__ */ new Set();
  for (const column of columns) {
    if (column === null) continue;
    if (seen.has(column)) duplicates.add(column);
    seen.add(column);
  }
  return {
    columns,
    missing: REQUIRED_CSV_COLUMNS.filter((column) => !seen.has(column)),
    duplicates: [...duplicates]
  };
}
var EMPTY_RECORD = { ...Object.fromEntries(CSV_COLUMNS.map(({ name }) => [name, void 0])) };
function csvRecordFromCells(columns, cells) {
  const record = { ...EMPTY_RECORD };
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    if (column != null) record[column] = cells[i];
  }
  return record;
}
var LIST_SEPARATOR = /[;；]/;
function splitList(cell) {
  if (cell === void 0) return [];
  if (!LIST_SEPARATOR.test(cell)) {
    const item = cell.trim();
    return item === "" ? [] : [item];
  }
  return cell.split(LIST_SEPARATOR).map((item) => item.trim()).filter((item) => item !== "");
}
function csvRecordToTaskInput(record) {
  return {
    sourceSystem: textCell(record, "sourceSystem"),
    sourceTaskId: textCell(record, "sourceTaskId"),
    case: {
      number: textCell(record, "caseNumber"),
      cause: textCell(record, "cause"),
      court: textCell(record, "court"),
      department: textCell(record, "department"),
      judge: textCell(record, "judge"),
      clerk: textCell(record, "clerk")
    },
    party: {
      name: textCell(record, "partyName"),
      kind: textCell(record, "partyKind"),
      role: textCell(record, "partyRole"),
      idType: textCell(record, "idType"),
      idNumber: textCell(record, "idNumber"),
      phones: splitList(record.phones),
      addresses: textListCell(record, "addresses"),
      email: textCell(record, "email")
    },
    documents: textListCell(record, "documents").map((title) => ({ title })),
    method: textCell(record, "method"),
    deadline: textCell(record, "deadline"),
    priority: textCell(record, "priority"),
    notes: textCell(record, "notes")
  };
}
var textCell = (record, column) => neutralizeFormula(record[column] ?? "");
var textListCell = (record, column) => splitList(record[column]).map(neutralizeFormula);

// main/intake/decodeIntakeText.ts
import iconv from "iconv-lite";

// main/intake/intakeFileError.ts
var IntakeFileError = class extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
  code;
  name = "IntakeFileError";
};

// main/intake/decodeIntakeText.ts
var UTF8_BOM = [239, 187, 191];
var UTF16_LE_BOM = [255, 254];
var UTF16_BE_BOM = [254, 255];
var startsWith = (bytes2, prefix) => prefix.every((byte, i) => bytes2[i] === byte);
function strictUtf8(bytes2) {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes2);
  } catch {
    return null;
  }
}
function decodeAs(bytes2) {
  if (startsWith(bytes2, UTF8_BOM)) {
    return { text: strictUtf8(bytes2.subarray(UTF8_BOM.length)), encoding: "utf-8-bom" };
  }
  const utf8 = strictUtf8(bytes2);
  if (utf8 !== null) return { text: utf8, encoding: "utf-8" };
  const gb18030 = iconv.decode(Buffer.from(bytes2.buffer, bytes2.byteOffset, bytes2.byteLength), "gb18030");
  return { text: gb18030.includes("\uFFFD") ? null : gb18030, encoding: "gb18030" };
}
function decodeIntakeText(bytes2) {
  if (startsWith(bytes2, UTF16_LE_BOM) || startsWith(bytes2, UTF16_BE_BOM)) {
    throw new IntakeFileError("undecodable", "The file is UTF-16 text; save it as UTF-8 or GB18030 CSV.");
  }
  const { text: text3, encoding } = decodeAs(bytes2);
  if (text3 === null || text3.includes("\0")) {
    throw new IntakeFileError(
      "undecodable",
      "The file is not text in UTF-8 or GB18030; export the task list as CSV or JSON."
    );
  }
  return { text: text3, encoding };
}

// common/intake/result.ts
var accept = (value) => ({ ok: true, value });
var reject = (reason) => ({ ok: false, reason });

// common/intake/halfWidth.ts
var FULL_WIDTH_FORMS = /[\uFF01-\uFF5E\u3000]/g;
var FULL_WIDTH_OFFSET = 65248;
var IDEOGRAPHIC_SPACE = 12288;
function hasFullWidthForm(text3) {
  for (let i = 0; i < text3.length; i++) {
    const code = text3.charCodeAt(i);
    if (code >= 65281 && code <= 65374 || code === IDEOGRAPHIC_SPACE) return true;
  }
  return false;
}
function toHalfWidth(text3) {
  if (!hasFullWidthForm(text3)) return text3;
  return text3.replace(FULL_WIDTH_FORMS, (ch) => {
    const code = ch.charCodeAt(0);
    return code === IDEOGRAPHIC_SPACE ? " " : String.fromCharCode(code - FULL_WIDTH_OFFSET);
  });
}

// common/intake/calendarDate.ts
var DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
var isLeapYear = (year) => year % 4 === 0 && year % 100 !== 0 || year % 400 === 0;
function isRealDate(year, month, day) {
  const days = DAYS_IN_MONTH[month - 1];
  if (days === void 0 || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : days);
}
var pad2 = (n) => String(n).padStart(2, "0");
function formatIsoDate(year, month, day) {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}
var DATE_FORMS = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?)(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/;
function normalizeDate(raw) {
  const match = DATE_FORMS.exec(toHalfWidth(raw).trim());
  if (!match) return reject("must be a date like 2024-05-01");
  const year = Number(match[1]);
  const month = Number(match[2] ?? match[4]);
  const day = Number(match[3] ?? match[5]);
  if (!isRealDate(year, month, day)) return reject("is not a real calendar date");
  return accept(formatIsoDate(year, month, day));
}

// common/intake/caseNumber.ts
var YEAR_BRACKETS = /[〔［[]/g;
var YEAR_BRACKETS_CLOSE = /[〕］\]]/g;
var WHITESPACE = /\s+/g;
var CASE_NUMBER = /^\((?:19|20)\d{2}\)[\u4e00-\u9fff]{1,3}\d{0,6}[\u4e00-\u9fff]{1,6}\d{1,7}号(?:之[一二三四五六七八九十\d]+)?$/;
function normalizeCaseNumber(raw) {
  const text3 = toHalfWidth(raw).replace(WHITESPACE, "").replace(YEAR_BRACKETS, "(").replace(YEAR_BRACKETS_CLOSE, ")");
  if (text3 === "") return reject("case number is required");
  if (!CASE_NUMBER.test(text3)) return reject("case number must look like (2024)\u51850303\u6C11\u521D1234\u53F7");
  return accept(text3);
}

// common/domain/model.ts
var METHODS = ["electronic", "postal", "in_person", "announcement"];
var PRIORITIES = ["normal", "urgent"];
var PARTY_KINDS = ["person", "organization"];

// common/intake/enumLabels.ts
function enumParser(values, labels, fallback) {
  const lookup = new Map(Object.entries(labels));
  for (const value of values) lookup.set(value, value);
  const reason = `must be one of ${[...values, ...Object.keys(labels)].join(", ")}`;
  return (raw) => {
    const key = raw.trim();
    if (key === "") return accept(fallback);
    const value = lookup.get(key) ?? lookup.get(key.toLowerCase());
    return value === void 0 ? reject(reason) : accept(value);
  };
}
var parseMethod = enumParser(
  METHODS,
  {
    \u7535\u5B50\u9001\u8FBE: "electronic",
    \u90AE\u5BC4\u9001\u8FBE: "postal",
    \u76F4\u63A5\u9001\u8FBE: "in_person",
    \u5916\u51FA\u9001\u8FBE: "in_person",
    \u516C\u544A\u9001\u8FBE: "announcement"
  },
  "electronic"
);
var parsePriority = enumParser(PRIORITIES, { \u666E\u901A: "normal", \u52A0\u6025: "urgent" }, "normal");
var parsePartyKind = enumParser(
  PARTY_KINDS,
  { \u81EA\u7136\u4EBA: "person", \u6CD5\u4EBA: "organization", \u5176\u4ED6\u7EC4\u7EC7: "organization", \u975E\u6CD5\u4EBA\u7EC4\u7EC7: "organization" },
  "person"
);

// common/intake/idNumber.ts
var RESIDENT_ID_TYPE = "\u5C45\u6C11\u8EAB\u4EFD\u8BC1";
var CREDIT_CODE_TYPE = "\u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801";
var ID_TYPE_ALIASES = {
  \u8EAB\u4EFD\u8BC1: RESIDENT_ID_TYPE,
  \u5C45\u6C11\u8EAB\u4EFD\u8BC1: RESIDENT_ID_TYPE,
  \u793E\u4F1A\u4FE1\u7528\u4EE3\u7801: CREDIT_CODE_TYPE,
  \u7EDF\u4E00\u793E\u4F1A\u4FE1\u7528\u4EE3\u7801: CREDIT_CODE_TYPE
};
function normalizeIdType(raw) {
  const trimmed = raw.trim();
  return ID_TYPE_ALIASES[trimmed] ?? trimmed;
}
var CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
var CHECK_CHARS = "10X98765432";
var SEVENTEEN_DIGITS = /^\d{17}$/;
var RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;
var WHITESPACE2 = /\s+/g;
var EARLIEST_BIRTH_YEAR = 1900;
function residentIdCheckDigit(first17) {
  if (!SEVENTEEN_DIGITS.test(first17)) throw new Error("residentIdCheckDigit needs exactly 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * CHECK_WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}
function canonicalIdText(raw) {
  return toHalfWidth(raw).replace(WHITESPACE2, "").toUpperCase();
}
function validateResidentId(raw, now = /* @__PURE__ */ new Date()) {
  const id = canonicalIdText(raw);
  if (id === "") return reject("ID number is empty");
  if (id.length !== 18) return reject("resident ID must have 18 characters");
  if (!RESIDENT_ID_SHAPE.test(id)) return reject("resident ID must be 17 digits followed by a digit or X");
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < EARLIEST_BIRTH_YEAR || !isRealDate(year, month, day)) {
    return reject("birth date in resident ID is not a real date");
  }
  const today = now.getFullYear() * 1e4 + (now.getMonth() + 1) * 100 + now.getDate();
  if (year * 1e4 + month * 100 + day > today) {
    return reject("birth date in resident ID is in the future");
  }
  if (residentIdCheckDigit(id.slice(0, 17)) !== id[17]) return reject("check digit does not match");
  return accept(id);
}
var CREDIT_CODE_SHAPE = /^[0-9A-Z]{18}$/;
function validateCreditCode(raw) {
  const code = canonicalIdText(raw);
  if (code === "") return reject("ID number is empty");
  if (!CREDIT_CODE_SHAPE.test(code)) return reject("unified social credit code must be 18 letters or digits");
  return accept(code);
}
function normalizePartyId(rawType, rawNumber, kind) {
  let idType = normalizeIdType(rawType);
  const trimmed = rawNumber.trim();
  if (trimmed === "") {
    return idType === "" ? accept({ idType, idNumber: "" }) : reject(`ID number is required for ${idType}`);
  }
  if (idType === "" && canonicalIdText(trimmed).length === 18) {
    idType = kind === "organization" ? CREDIT_CODE_TYPE : RESIDENT_ID_TYPE;
  }
  const checked = idType === RESIDENT_ID_TYPE ? validateResidentId(trimmed) : idType === CREDIT_CODE_TYPE ? validateCreditCode(trimmed) : accept(trimmed);
  return checked.ok ? accept({ idType, idNumber: checked.value }) : checked;
}

// common/intake/phone.ts
var KEYWORD_EXTENSION = /\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$/i;
var DASH_EXTENSION = /(?<!\d)\d{7,12}(\s*-\s*(\d{1,6}))$/;
var PHONE_TEXT = /^\+?[\d\s\-.()\u2013\u2014]+$/;
var NON_DIGITS = /\D/g;
var MOBILE = /^1[3-9]\d{9}$/;
var MOBILE_PREFIX = /^1(?:[3-9]|$)/;
var LANDLINE_WITHOUT_AREA = /^[1-9]\d{6,7}$/;
var BARE_COUNTRY_CODE = /^86[\s\-.(]/;
var THREE_CHARACTER_AREA = /^0(?:10|2\d)/;
var FOUR_CHARACTER_AREA = /^0[3-9]/;
function landlineAreaLength(national) {
  const areaLength = THREE_CHARACTER_AREA.test(national) ? 3 : FOUR_CHARACTER_AREA.test(national) ? 4 : null;
  if (areaLength === null) return null;
  const subscriberLength = national.length - areaLength;
  return subscriberLength === 7 || subscriberLength === 8 ? areaLength : null;
}
function afterCountryCode(rest) {
  if (rest === "" || rest.startsWith("0") || MOBILE_PREFIX.test(rest)) return rest;
  return `0${rest}`;
}
function nationalDigits(text3, partial) {
  const digits = text3.replace(NON_DIGITS, "");
  if (text3.startsWith("+")) return digits.startsWith("86") ? afterCountryCode(digits.slice(2)) : null;
  if (digits.startsWith("0086")) return afterCountryCode(digits.slice(4));
  const bareCountryCode = digits.startsWith("86") && (!partial || BARE_COUNTRY_CODE.test(text3) || MOBILE.test(digits.slice(2)));
  return bareCountryCode ? afterCountryCode(digits.slice(2)) : digits;
}
function isLandline(text3) {
  const national = nationalDigits(text3, false);
  return national !== null && landlineAreaLength(national) !== null;
}
function splitExtension(text3) {
  const keyword = KEYWORD_EXTENSION.exec(text3);
  if (keyword && keyword.index > 0) return { main: text3.slice(0, keyword.index), extension: keyword[1] };
  const dashed = text3.includes("-") ? DASH_EXTENSION.exec(text3) : null;
  if (dashed) {
    const main = text3.slice(0, text3.length - dashed[1].length);
    if (isLandline(main)) return { main, extension: dashed[2] };
  }
  return { main: text3 };
}
function normalizePhone(raw) {
  const text3 = toHalfWidth(raw).trim();
  if (text3 === "") return reject("phone number is empty");
  const { main, extension } = splitExtension(text3);
  if (!PHONE_TEXT.test(main)) return reject("phone number contains characters that are not digits");
  const digits = nationalDigits(main, false);
  if (digits === null) return reject("only Chinese (+86) phone numbers are supported");
  if (digits === "") return reject("phone number has no digits");
  if (MOBILE.test(digits)) {
    if (extension !== void 0) return reject("a mobile number cannot have an extension");
    const display = `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
    return accept({ kind: "mobile", digits, display });
  }
  const areaLength = landlineAreaLength(digits);
  if (areaLength !== null) {
    const number = `${digits.slice(0, areaLength)}-${digits.slice(areaLength)}`;
    if (extension === void 0) return accept({ kind: "landline", digits, display: number });
    return accept({ kind: "landline", digits, extension, display: `${number} \u8F6C${extension}` });
  }
  if (LANDLINE_WITHOUT_AREA.test(digits)) return reject("landline number needs an area code");
  return reject("not a valid mobile or landline number");
}

// common/intake/taskSchema.ts
import { z } from "zod";
var MAX_TEXT = 200;
var MAX_ADDRESS = 500;
var MAX_NOTES = 2e3;
var MAX_LIST_ITEMS = 50;
var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
var SHA256_HEX = /^[0-9a-f]{64}$/;
var text = z.string().max(MAX_TEXT);
var NormalizedPhoneSchema = z.object({
  kind: z.enum(["mobile", "landline"]),
  digits: z.string().regex(/^\d{10,12}$/),
  extension: z.string().regex(/^\d{1,6}$/).optional(),
  display: z.string().min(1)
});
var IntakeDocument = z.object({
  title: z.string().min(1).max(MAX_TEXT),
  kind: text,
  fileName: z.string().max(MAX_TEXT).nullable(),
  sha256: z.string().regex(SHA256_HEX).nullable(),
  pages: z.number().int().positive().nullable()
});
var IntakeTask = z.object({
  sourceSystem: z.string().min(1).max(MAX_TEXT),
  sourceTaskId: z.string().min(1).max(MAX_TEXT),
  case: z.object({
    number: z.string().min(1).max(MAX_TEXT),
    cause: text,
    court: z.string().min(1).max(MAX_TEXT),
    department: text,
    judge: text,
    clerk: text
  }),
  party: z.object({
    name: z.string().min(1).max(MAX_TEXT),
    kind: z.enum(PARTY_KINDS),
    role: text,
    idType: text,
    idNumber: text,
    phones: z.array(NormalizedPhoneSchema).max(MAX_LIST_ITEMS),
    addresses: z.array(z.string().min(1).max(MAX_ADDRESS)).max(MAX_LIST_ITEMS),
    email: z.string().max(MAX_TEXT).nullable(),
    representative: z.string().max(MAX_TEXT).nullable()
  }),
  documents: z.array(IntakeDocument).min(1).max(MAX_LIST_ITEMS),
  method: z.enum(METHODS),
  deadline: z.string().regex(ISO_DATE).nullable(),
  priority: z.enum(PRIORITIES),
  notes: z.string().max(MAX_NOTES)
});

// common/intake/validateTask.ts
var DEFAULT_SOURCE_SYSTEM = "file";
var NO_FIELDS = {};
var EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
var WHITESPACE3 = /\s+/g;
var QUOTED_VALUE_LENGTH = 40;
function asFields(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
}
var samePhone = (a, b) => a.digits === b.digits && a.extension === b.extension;
var quote = (value) => `"${value.length > QUOTED_VALUE_LENGTH ? `${value.slice(0, QUOTED_VALUE_LENGTH)}\u2026` : value}"`;
var TaskReader = class {
  errors = [];
  fail(field, reason) {
    this.errors.push({ field, reason });
  }
  /** Trimmed text; '' when absent. Numbers are accepted as text (ids often arrive as numbers). */
  text(value, field, max = MAX_TEXT) {
    if (value === void 0 || value === null) return "";
    const text3 = typeof value === "string" ? value.trim() : typeof value === "number" && Number.isFinite(value) ? String(value) : null;
    if (text3 === null) {
      this.fail(field, "must be text");
      return "";
    }
    if (text3.length > max) this.fail(field, `must be at most ${max} characters`);
    return text3;
  }
  required(value, field) {
    const text3 = this.text(value, field);
    if (text3 === "") this.fail(field, "is required");
    return text3;
  }
  optional(value, field) {
    const text3 = this.text(value, field);
    return text3 === "" ? null : text3;
  }
  /** The checked value, or `fallback` after recording why the field was rejected. */
  checked(result, field, fallback) {
    if (result.ok) return result.value;
    this.fail(field, result.reason);
    return fallback;
  }
  /** A field holding one value parsed by `parse`; absent values are passed as ''. */
  parsed(value, field, parse3, fallback) {
    return this.checked(parse3(this.text(value, field)), field, fallback);
  }
  /** A list field; a single value counts as a one-item list. */
  list(value, field) {
    if (value === void 0 || value === null || value === "") return [];
    const items = Array.isArray(value) ? value : [value];
    if (items.length > MAX_LIST_ITEMS) this.fail(field, `must have at most ${MAX_LIST_ITEMS} items`);
    return items;
  }
  phones(value) {
    const phones = [];
    for (const item of this.list(value, "phones")) {
      const text3 = this.text(item, "phones");
      if (text3 === "") continue;
      const phone = normalizePhone(text3);
      if (!phone.ok) this.fail("phones", `phone ${quote(text3)}: ${phone.reason}`);
      else if (!phones.some((known) => samePhone(known, phone.value))) phones.push(phone.value);
    }
    return phones;
  }
  addresses(value) {
    const addresses = [];
    for (const item of this.list(value, "addresses")) {
      const address = this.text(item, "addresses", MAX_ADDRESS);
      if (address !== "" && !addresses.includes(address)) addresses.push(address);
    }
    return addresses;
  }
  email(value) {
    const text3 = toHalfWidth(this.text(value, "email")).replace(WHITESPACE3, "");
    if (text3 === "") return null;
    if (!EMAIL.test(text3)) {
      this.fail("email", "is not a valid e-mail address");
      return null;
    }
    const at = text3.lastIndexOf("@");
    return text3.slice(0, at) + text3.slice(at).toLowerCase();
  }
  documents(value) {
    const items = this.list(value, "documents");
    if (items.length === 0) this.fail("documents", "at least one document is required");
    const documents = [];
    items.forEach((item, index) => {
      const document = this.document(item, `document ${index + 1}`);
      if (document) documents.push(document);
    });
    return documents;
  }
  /** A document is an object, or just its title (as in CSV). */
  document(item, label) {
    const fields = asFields(item) ?? { title: item };
    const problems = this.errors.length;
    const title = this.text(fields.title, "documents");
    if (title === "") this.fail("documents", `${label}: title is required`);
    const document = {
      title,
      kind: this.text(fields.kind, "documents"),
      fileName: this.optional(fields.fileName, "documents"),
      sha256: this.sha256(fields.sha256, label),
      pages: this.pages(fields.pages, label)
    };
    return this.errors.length === problems ? document : null;
  }
  sha256(value, label) {
    const text3 = this.text(value, "documents").toLowerCase();
    if (text3 === "") return null;
    if (SHA256_HEX.test(text3)) return text3;
    this.fail("documents", `${label}: sha256 must be 64 hexadecimal characters`);
    return null;
  }
  pages(value, label) {
    const text3 = this.text(value, "documents");
    if (text3 === "") return null;
    const pages = Number(text3);
    if (Number.isInteger(pages) && pages > 0) return pages;
    this.fail("documents", `${label}: pages must be a positive whole number`);
    return null;
  }
};
function validateTaskInput(raw) {
  const input = asFields(raw);
  if (input === null) return { ok: false, errors: [{ field: "task", reason: "task must be an object" }] };
  const caseFields = asFields(input.case) ?? NO_FIELDS;
  const partyFields = asFields(input.party) ?? NO_FIELDS;
  const read = new TaskReader();
  const kind = read.parsed(partyFields.kind, "partyKind", parsePartyKind, "person");
  const partyId = read.checked(
    normalizePartyId(
      read.text(partyFields.idType, "idType"),
      read.text(partyFields.idNumber, "idNumber"),
      kind
    ),
    "idNumber",
    { idType: "", idNumber: "" }
  );
  const contactErrors = read.errors.length;
  const phones = read.phones(partyFields.phones);
  const addresses = read.addresses(partyFields.addresses);
  const email = read.email(partyFields.email);
  if (phones.length === 0 && addresses.length === 0 && email === null && read.errors.length === contactErrors) {
    read.fail("phones", "party needs at least one phone, address or e-mail");
  }
  const task = {
    sourceSystem: read.text(input.sourceSystem, "sourceSystem") || DEFAULT_SOURCE_SYSTEM,
    sourceTaskId: read.required(input.sourceTaskId, "sourceTaskId"),
    case: {
      number: read.parsed(caseFields.number, "caseNumber", normalizeCaseNumber, ""),
      cause: read.text(caseFields.cause, "cause"),
      court: read.required(caseFields.court, "court"),
      department: read.text(caseFields.department, "department"),
      judge: read.text(caseFields.judge, "judge"),
      clerk: read.text(caseFields.clerk, "clerk")
    },
    party: {
      name: read.required(partyFields.name, "partyName"),
      kind,
      role: read.text(partyFields.role, "partyRole"),
      idType: partyId.idType,
      idNumber: partyId.idNumber,
      phones,
      addresses,
      email,
      representative: read.optional(partyFields.representative, "representative")
    },
    documents: read.documents(input.documents),
    method: read.parsed(input.method, "method", parseMethod, "electronic"),
    deadline: read.parsed(input.deadline, "deadline", emptyOrDate, null),
    priority: read.parsed(input.priority, "priority", parsePriority, "normal"),
    notes: read.text(input.notes, "notes", MAX_NOTES)
  };
  return read.errors.length === 0 ? { ok: true, task } : { ok: false, errors: read.errors };
}
function emptyOrDate(text3) {
  return text3 === "" ? { ok: true, value: null } : normalizeDate(text3);
}

// main/intake/intakeRow.ts
function validatedRow(row, input) {
  const result = validateTaskInput(input);
  return result.ok ? { row, task: result.task } : { row, errors: result.errors };
}

// main/intake/parseCsvIntake.ts
import { parse } from "csv-parse/sync";
function forEachRecord(text3, onRecord) {
  try {
    parse(text3, {
      // Column counts are checked per row, so one short row is that row's error, not the file's.
      relax_column_count: true,
      // Hand-edited cells such as 他说"同意" carry quotes inside unquoted text.
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (cells) => {
        onRecord(cells);
        return null;
      }
    });
  } catch (error) {
    if (error instanceof IntakeFileError) throw error;
    throw new IntakeFileError("not_csv", `The file is not valid CSV: ${error.message}`);
  }
}
function readHeader(header) {
  const { columns, missing, duplicates } = mapCsvHeader(header);
  if (missing.length > 0) {
    throw new IntakeFileError("missing_columns", `Required columns are missing: ${missing.join(", ")}.`);
  }
  if (duplicates.length > 0) {
    throw new IntakeFileError(
      "duplicate_columns",
      `Columns appear more than once: ${duplicates.join(", ")}.`
    );
  }
  return columns;
}
var isBlank = (cells) => cells.every((cell) => cell.trim() === "");
function parseCsvIntake(text3) {
  let columns = null;
  let row = 0;
  const rows2 = [];
  forEachRecord(text3, (cells) => {
    if (columns === null) {
      columns = readHeader(cells);
      return;
    }
    row += 1;
    if (isBlank(cells)) return;
    if (cells.length !== columns.length) {
      const reason = `row has ${cells.length} cells but the header has ${columns.length}`;
      rows2.push({ row, errors: [{ field: "row", reason }] });
      return;
    }
    rows2.push(validatedRow(row, csvRecordToTaskInput(csvRecordFromCells(columns, cells))));
  });
  if (rows2.length === 0) throw new IntakeFileError("empty", "The file has no task rows.");
  return rows2;
}

// main/intake/measure2.tmp.ts
var bytes = readFileSync("/tmp/intake100k.csv");
var mode = process.argv[2];
var t0 = performance.now();
var { text: text2 } = decodeIntakeText(bytes);
var t1 = performance.now();
var rows = [];
if (mode === "current") rows = parseCsvIntake(text2);
else {
  const [header, ...records] = parse2(text2, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  const t2 = performance.now();
  const columns = mapCsvHeader(header).columns;
  records.forEach((cells, i) => rows.push(validatedRow(i + 1, csvRecordToTaskInput(csvRecordFromCells(columns, cells)))));
  console.log("parse", Math.round(t2 - t1), "rest", Math.round(performance.now() - t2));
}
console.log(mode, "decode", Math.round(t1 - t0), "total", Math.round(performance.now() - t0), rows.length);
