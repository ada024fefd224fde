/**
 * Sessions in the style of grammY's: state kept per (chat, user) or per chat, in the bot's
 * store, read before the handlers and written back once, only when they succeeded.
 *
 * Two instances answering the same member at once (two FaaS instances, a WeCom retry racing a
 * slow first delivery) would otherwise both read the old state and one update would be lost,
 * so a session is held under a store lease for the duration of the handlers: the second
 * handler waits for the first and sees its result.
 */
import { randomBytes } from 'node:crypto';
import { WecombotError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { Context } from './context.js';

/** Which conversation a session belongs to. */
export type SessionScope = 'user' | 'chat';

/** How a session is kept. `S` is the session's type. */
export interface SessionOptions<S> {
  /** The value of a session that does not exist yet (or expired). Called once per new session. */
  initial: () => S;
  /** Forget a session this long after its last write. Default: never. */
  ttlMs?: number;
  /**
   * Longest wait for a session another handler holds. Default 8000 ms; past it the handler
   * fails with `session_busy` (and the session is left as it was).
   */
  waitMs?: number;
  /**
   * Hold the session only for the messages this accepts (default: every message that reaches
   * the owner's handlers). A declined message sees a fresh `initial()` value that is never
   * stored, and costs no store round trip: a module that answers two commands need not lease a
   * session for every other message of the group.
   *
   * @example when: (ctx) => /^(报名|取消报名)/.test(ctx.text) || ctx.action !== undefined
   */
  when?: (ctx: Context) => boolean | Promise<boolean>;
  /**
   * Called instead of the handlers when the session cannot be held (the store is down, or the
   * session stayed busy past `waitMs`): answer "please try again later" and nothing else runs,
   * so a handler never acts on a state it could not read. Without it the error goes to
   * `bot.catch` and the member gets no answer.
   */
  onUnavailable?: (ctx: Context, error: SessionError) => unknown;
}

/** The key parts of one callback: who said it where. */
export interface SessionAddress {
  chatId: string;
  userId: string;
}

/** A session could not be read, held or written. */
export class SessionError extends WecombotError {
  constructor(
    code: 'session_busy' | 'session_unreadable' | 'session_unavailable',
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** A lease outlives a crashed holder by at most this; longer handlers keep renewing it. */
const LEASE_MS = 15_000;
const DEFAULT_WAIT_MS = 8_000;

/** The store key of a session: namespaced by owner (a module name, or `bot`) and scope. */
export function sessionKey(owner: string, scope: SessionScope, address: SessionAddress): string {
  // Lengths first so that no chat or user id can make two addresses collide.
  const chat = `${address.chatId.length}:${address.chatId}`;
  return scope === 'chat' ? `session:${owner}:chat:${chat}` : `session:${owner}:user:${chat}:${address.userId}`;
}

/** Resolved options, with defaults, checked once when the module or middleware is declared. */
export interface ResolvedSessionOptions<S> {
  initial: () => S;
  ttlMs: number | undefined;
  waitMs: number;
  when: SessionOptions<S>['when'];
  onUnavailable: SessionOptions<S>['onUnavailable'];
}

/** Checks session options; errors name the field. */
export function resolveSessionOptions<S>(where: string, options: SessionOptions<S>): ResolvedSessionOptions<S> {
  if (typeof options?.initial !== 'function') {
    throw new TypeError(`${where}.initial must be a function returning the new session's value`);
  }
  for (const field of ['ttlMs', 'waitMs'] as const) {
    const v = options[field];
    if (v !== undefined && (!Number.isFinite(v) || v <= 0))
      throw new TypeError(`${where}.${field} must be a positive number of milliseconds (got ${String(v)})`);
  }
  for (const field of ['when', 'onUnavailable'] as const) {
    if (options[field] !== undefined && typeof options[field] !== 'function') throw new TypeError(`${where}.${field} must be a function`);
  }
  return {
    initial: options.initial,
    ttlMs: options.ttlMs,
    waitMs: options.waitMs ?? DEFAULT_WAIT_MS,
    when: options.when,
    onUnavailable: options.onUnavailable,
  };
}

/** One held session: its value, and `save()` to write it back (once, only if it changed). */
export interface HeldSession<S> {
  value: S;
  /** Writes `value` when it differs from what was read; `undefined`/`null` deletes the session. */
  save(value: S): Promise<void>;
  /** Gives the lease back. Always call it, after `save` or instead of it. */
  release(): Promise<void>;
}

/** One try at the lease; a store that cannot answer is `session_unavailable`. */
async function acquire(store: Store, lock: string, owner: string, key: string): Promise<boolean> {
  try {
    return await store.acquireLock(lock, { owner, ttlMs: LEASE_MS });
  } catch (cause) {
    throw new SessionError('session_unavailable', `session ${describeKey(key)} could not be held: the store did not answer`, {
      cause,
      hint: 'check WECOMBOT_DATABASE_URL / WECOMBOT_REDIS_URL; give the session an onUnavailable to answer the member meanwhile',
    });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Takes the session's lease (waiting while another handler holds it), then reads the value.
 *
 * @throws SessionError `session_busy` when the lease stays taken longer than `waitMs`.
 */
export async function holdSession<S>(store: Store, key: string, options: ResolvedSessionOptions<S>): Promise<HeldSession<S>> {
  const owner = randomBytes(9).toString('base64url');
  const lock = `${key}:lease`;
  const give = Date.now() + options.waitMs;
  let pause = 5;
  while (!(await acquire(store, lock, owner, key))) {
    if (Date.now() >= give) {
      throw new SessionError('session_busy', `session ${describeKey(key)} stayed busy for ${options.waitMs} ms`, {
        hint: 'another handler of the same member holds it; a handler that runs long should reply first and do slow work in a job',
      });
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 100);
  }
  // A slow handler keeps its lease; a crashed one loses it within LEASE_MS.
  const renew = setInterval(() => void store.renewLock(lock, { owner, ttlMs: LEASE_MS }).catch(() => undefined), LEASE_MS / 3);
  renew.unref();
  const release = async () => {
    clearInterval(renew);
    await store.releaseLock(lock, owner).catch(() => undefined);
  };
  let raw: string | undefined;
  let value: S;
  // What is stored now: a new session left as `initial()` made it is not worth a write.
  let baseline: string | undefined;
  try {
    raw = await store.get(key);
    value = raw === undefined ? options.initial() : (JSON.parse(raw) as S);
    baseline = raw ?? JSON.stringify(value);
  } catch (cause) {
    await release();
    throw new SessionError('session_unreadable', `session ${describeKey(key)} could not be read`, {
      cause,
      hint: 'the stored value is not JSON written by wecombot; delete the key to start the session afresh',
    });
  }
  return {
    value,
    async save(next) {
      if (next === undefined || next === null) {
        if (raw !== undefined) await store.delete(key);
        return;
      }
      const serialized = JSON.stringify(next);
      if (serialized === baseline) return;
      await store.set(key, serialized, options.ttlMs === undefined ? undefined : { ttlMs: options.ttlMs });
    },
    release,
  };
}

/** The key without ids, for messages: ids are personal data and do not belong in errors. */
function describeKey(key: string): string {
  const [, owner, scope] = key.split(':');
  return `${owner ?? '?'}/${scope ?? '?'}`;
}
