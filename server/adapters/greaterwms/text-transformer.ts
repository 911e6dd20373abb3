// Text and codes as GreaterWMS accepts them. Its utils/datasolve.py refuses any value whose text contains
// "select" or "script" (case-insensitive) — a product called "Selected gift box" or a "Description" — and
// custom DN/ASN codes must contain a digit (else an IndexError crash). The transforms are deterministic, so
// the same shop value always gives the same warehouse value (lookups keep working); originals stay on our side.

const REFUSED = /(sel)(ect)|(scr)(ipt)/gi;

/** Soft hyphen: invisible in the GreaterWMS web UI and printouts, but breaks the refused words. */
const TEXT_BREAK = '\u00AD';
/** Codes get a visible break: staff type and scan them, an invisible character would only confuse. */
const CODE_BREAK = '-';

/** True when GreaterWMS would refuse this text. */
export function isRefusedText(s: string): boolean {
  return /select|script/i.test(s);
}

/** Free text (descriptions, names, addresses) that passes the filter; unchanged when it already passes. */
export function safeText(s: string, maxLength = 255): string {
  const cleaned = s.replace(REFUSED, (_m, a, b, c, d) => (a ? `${a}${TEXT_BREAK}${b}` : `${c}${TEXT_BREAK}${d}`));
  return truncate(cleaned.trim(), maxLength);
}

/** A code (goods code, name used as a key) that passes the filter; identity for ordinary SKUs. */
export function safeCode(s: string, maxLength = 255): string {
  const cleaned = s.trim().replace(REFUSED, (_m, a, b, c, d) => (a ? `${a}${CODE_BREAK}${b}` : `${c}${CODE_BREAK}${d}`));
  return truncate(cleaned, maxLength);
}

/** Cuts by code points so a surrogate pair is never split. */
export function truncate(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, max).join('');
}

/**
 * The warehouse document code of a shop order/return: `<prefix><name>`, e.g. "#1001" → "SHOP-1001".
 * Characters other than letters, digits, "-" and "_" are dropped; when the name has no digit the numeric tail
 * of the stable id is appended (GreaterWMS crashes on codes without a digit). The prefix must not make it look
 * like a generated code ("DN…"/"ASN…" + digits) so back orders can never take the same code.
 */
export function documentCode(prefix: string, name: string, stableId: string): string {
  let body = name.replace(/[^A-Za-z0-9_-]+/g, '');
  if (!/\d/.test(body)) {
    const tail = /(\d+)\D*$/.exec(stableId)?.[1] ?? hashDigits(stableId);
    body = body ? `${body}-${tail}` : tail;
  }
  const code = safeCode(`${prefix}${body}`);
  if (!/\d/.test(code)) throw new Error(`document code ${code} has no digit`);
  return code;
}

/** Checks a configured code prefix once, at adapter construction. */
export function assertCodePrefix(prefix: string): void {
  if (isRefusedText(prefix)) throw new Error(`code prefix "${prefix}" contains select/script, which GreaterWMS refuses`);
  if (/^(DN|ASN)\d*$/i.test(prefix)) {
    throw new Error(`code prefix "${prefix}" looks like a GreaterWMS generated code; back orders could collide with it`);
  }
  if (/[^A-Za-z0-9_-]/.test(prefix)) throw new Error(`code prefix "${prefix}" may only hold letters, digits, - and _`);
}

function hashDigits(s: string): string {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return String(h);
}
