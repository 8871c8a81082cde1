// Personal data is masked in the UI unless a specialist reveals it (each reveal is audited).

/** 13812345678 → 138****5678; landline keeps area code and last 4. */
export function maskPhone(digits: string, extension?: string | null): string {
  const ext = extension ? ` 转${extension}` : '';
  if (digits.length <= 4) return '*'.repeat(digits.length) + ext;
  if (digits.startsWith('1') && digits.length === 11)
    return `${digits.slice(0, 3)}****${digits.slice(-4)}${ext}`;
  const area = digits.startsWith('01') || digits.startsWith('02') ? 3 : 4;
  const hidden = Math.max(digits.length - area - 4, 0);
  return `${digits.slice(0, area)}-${'*'.repeat(hidden)}${digits.slice(-4)}${ext}`;
}

/** 11010519491231002X → 110***********002X: region and last 4 stay, so identity can be checked. */
export function maskIdNumber(id: string): string {
  if (id.length <= 4) return '*'.repeat(id.length);
  const keep = id.length >= 15 ? 3 : 0;
  return id.slice(0, keep) + '*'.repeat(id.length - keep - 4) + id.slice(-4);
}

/** A dial string as the softphone sent it (prefix included): the first 3 and last 4 digits stay. */
export function maskDialString(dialled: string): string {
  if (dialled.length <= 7) return '*'.repeat(Math.max(dialled.length - 4, 0)) + dialled.slice(-4);
  return `${dialled.slice(0, 3)}${'*'.repeat(dialled.length - 7)}${dialled.slice(-4)}`;
}

/** party@example.com → p***y@example.com: the first and last letters of the name stay, the domain too. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '*'.repeat(address.length);
  const name = address.slice(0, at);
  const shown = name.length <= 2 ? `${name[0]}*` : `${name[0]}***${name.at(-1)}`;
  return `${shown}${address.slice(at)}`;
}
