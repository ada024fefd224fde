/**
 * The keys a customer identity is found by, checked and normalised the same way on write and on
 * read, so `+86 138-0013-8000` and `13800138000` are one mobile.
 */
import { WecombotError } from '../errors.js';
import type { IdentityKeyKind } from './schema.js';

/** Keys of one customer; give any of them. */
export interface IdentityKeys {
  /** `external_userid` (wm…/wo…): the customer in this corp. */
  externalUserId?: string;
  /** The WeChat unionid, when the corp has bound a developer account (externalcontact/get). */
  unionId?: string;
  /** A mobile number the customer gave (a form, a remark mobile). */
  mobile?: string;
}

/** A key that cannot be one; the message names the field, never a value. */
export class IdentityError extends WecombotError {
  constructor(message: string, options: { hint?: string } = {}) {
    super('identity_invalid', message, options);
  }
}

/** Ids WeCom hands out: letters, digits, `_` and `-` (external_userid, unionid, userid). */
const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A checked id, for `field` in messages. */
export function checkId(value: string, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new IdentityError(
      `${field} must be 1 to 128 letters, digits, _ or - (it has ${typeof value === 'string' ? value.length : 0} characters)`,
      {
        hint: `pass the ${field} exactly as WeCom gave it`,
      },
    );
  }
  return value;
}

/**
 * A mobile without spaces, dashes and brackets; `+86`/`0086` before an 11-digit mainland number
 * is dropped, so a number is stored once whichever way it was written.
 */
export function normaliseMobile(value: string): string {
  const compact = typeof value === 'string' ? value.replace(/[\s\-().]/g, '') : '';
  const mainland = /^(?:\+86|0086)(1\d{10})$/.exec(compact);
  const mobile = mainland ? (mainland[1] as string) : compact;
  if (!/^\+?\d{5,20}$/.test(mobile)) {
    throw new IdentityError('mobile must be 5 to 20 digits, optionally after +', {
      hint: 'give the number the customer typed, e.g. 13800138000 or +85291234567',
    });
  }
  return mobile;
}

/** The (kind, value) pairs of `keys`, checked; strong keys first. */
export function keyPairs(keys: IdentityKeys): { kind: IdentityKeyKind; value: string }[] {
  const pairs: { kind: IdentityKeyKind; value: string }[] = [];
  if (keys.externalUserId !== undefined) pairs.push({ kind: 'external_userid', value: checkId(keys.externalUserId, 'externalUserId') });
  if (keys.unionId !== undefined) pairs.push({ kind: 'unionid', value: checkId(keys.unionId, 'unionId') });
  if (keys.mobile !== undefined) pairs.push({ kind: 'mobile', value: normaliseMobile(keys.mobile) });
  return pairs;
}

/** Strong keys name exactly one customer; a mobile does not (see the merge rules). */
export function isStrong(kind: IdentityKeyKind): boolean {
  return kind !== 'mobile';
}
