import { CorpApiError, CorpHttpError, CorpNetworkError } from './errors.js';

/**
 * How a call may be repeated:
 * - `repeatable`: reads, tag edits, uploads; doing it twice is harmless, so every transient
 *   failure is retried;
 * - `at-most-once`: send_welcome_msg and the other calls that message customers. A second
 *   welcome (or a second mass-message task) is worse than none, so a failure is retried only
 *   when it says the request was not carried out: the connection was never made, the token
 *   was refused, or an errcode that rejects before acting.
 */
export type Delivery = 'repeatable' | 'at-most-once';

/** Errcodes that say "the token was refused": refresh it and try once more (corp notes §1, as WxJava and wechatpy do). */
export const TOKEN_REJECTED_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 40001]);

/**
 * Transient errcodes worth a retry with back-off on a repeatable call: -1 system busy,
 * 45033 too many concurrent calls, 41063 a mass message still dispatching (corp notes §11).
 * 45009 is not among them: it is a frequency block of a minute, an hour or a day, which a
 * retry inside one request cannot wait out and which hot retries only extend.
 */
const TRANSIENT_ERRCODES: ReadonlySet<number> = new Set([-1, 45033, 41063]);

/**
 * Errcodes that refuse a call before it does anything, so even an at-most-once call may be
 * tried again: 45033 is the concurrency gate in front of the API. -1 is not here: "system
 * busy" does not say whether the message went out [UNCONFIRMED], so the defensive reading
 * keeps it final for at-most-once calls.
 */
const REFUSED_BEFORE_ACTING: ReadonlySet<number> = new Set([45033]);

/**
 * Whether `err` may be retried for a call of this delivery. `notDone` adds errcodes the caller
 * knows to mean "not carried out" (41096 for a welcome: another app is sending, ours was not).
 * A failure of gettoken is judged as `repeatable`: the call itself was not sent yet.
 */
export function mayRetry(err: unknown, delivery: Delivery, notDone: ReadonlySet<number> = new Set()): boolean {
  if (err instanceof CorpNetworkError) return delivery === 'repeatable' || !err.maybeSent;
  // A 5xx may come from a gateway after WeCom acted; only a repeatable call risks it.
  if (err instanceof CorpHttpError) return delivery === 'repeatable' && (err.status >= 500 || err.status === 429);
  if (err instanceof CorpApiError) {
    if (notDone.has(err.errcode) || REFUSED_BEFORE_ACTING.has(err.errcode)) return true;
    return delivery === 'repeatable' && TRANSIENT_ERRCODES.has(err.errcode);
  }
  return false;
}
