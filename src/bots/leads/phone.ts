/**
 * Phone numbers of leads, normalized to E.164 for mainland China (`+8613812341234`), so the
 * same person typed as `138 1234 1234`, `+86-138-1234-1234` or `0086 13812341234` is one key
 * for de-duplication. A number that does not parse is kept as it came with a flag, never
 * dropped: a salesperson can still read `138****0000` or `400-800-1234 转 3`.
 */

export type PhoneFlag = 'missing' | 'masked' | 'invalid';

export interface Phone {
  /** E.164, when the number parsed. */
  e164: string | undefined;
  /** What the source sent, trimmed. */
  raw: string;
  /** Why there is no E.164 form. */
  flag: PhoneFlag | undefined;
}

/** Mainland mobiles: 1[3-9] and 9 more digits. */
const MOBILE = /^1[3-9]\d{9}$/;
/** Landlines: trunk 0, a 2–3 digit area code (010, 021, 0755…) and a 7–8 digit number. */
const LANDLINE = /^0[1-9]\d{8,10}$/;

/**
 * @example normalizePhone('138 1234 1234').e164 // '+8613812341234'
 * @example normalizePhone('021-6123 4567').e164 // '+862161234567'
 * @example normalizePhone('138****0000').flag  // 'masked'
 */
export function normalizePhone(input: unknown): Phone {
  const raw = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (raw === '') return { e164: undefined, raw, flag: 'missing' };
  // Ad platforms mask numbers when the account lacks the PII grant: never a dedupe key.
  if (/[*＊]/.test(raw)) return { e164: undefined, raw, flag: 'masked' };
  let digits = raw.replace(/[\s\-().（）\u00a0]/g, '');
  if (!/^\+?\d+$/.test(digits)) return { e164: undefined, raw, flag: 'invalid' };
  let international = true;
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('+')) return { e164: undefined, raw, flag: 'invalid' };
  else if (digits.length === 13 && digits.startsWith('86') && MOBILE.test(digits.slice(2))) digits = digits.slice(2);
  else international = false;
  if (MOBILE.test(digits)) return { e164: `+86${digits}`, raw, flag: undefined };
  if (LANDLINE.test(digits)) return { e164: `+86${digits.slice(1)}`, raw, flag: undefined };
  // After +86 the trunk 0 is dropped: +86 21 6123 4567, +86 10 6123 4567 (Beijing's 010).
  if (international && LANDLINE.test(`0${digits}`) && (!digits.startsWith('1') || digits.startsWith('10')))
    return { e164: `+86${digits}`, raw, flag: undefined };
  return { e164: undefined, raw, flag: 'invalid' };
}

/**
 * The phone as shown in the group: a mobile's first 3 and last 4 digits (`138****1234`), a
 * landline's area code and last 2, anything unparsed as `****` plus its last 2 characters.
 */
export function maskedPhone(phone: { e164?: string | undefined; raw: string }): string {
  if (phone.e164) {
    const national = phone.e164.slice(3);
    if (MOBILE.test(national)) return `${national.slice(0, 3)}****${national.slice(-4)}`;
    const area = /^(10|2\d|[3-9]\d\d)/.exec(national)?.[0] ?? '';
    return `0${area}-****${national.slice(-2)}`;
  }
  if (phone.raw === '') return '（无）';
  if (/[*＊]/.test(phone.raw)) return phone.raw;
  return `****${phone.raw.slice(-2)}`;
}

/** The phone as the claimer sees it: national form when it parsed, else what came. */
export function displayPhone(phone: { e164?: string | undefined; raw: string }): string {
  if (!phone.e164) return phone.raw || '（无）';
  const national = phone.e164.slice(3);
  return MOBILE.test(national) ? national : `0${national}`;
}
