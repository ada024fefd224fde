import { createHash, randomUUID } from 'node:crypto';
import type { Redis as RedisClient } from 'ioredis';
import { StoreConnectionError, StoreUnsupportedError } from './errors.js';
import type { Primitives } from './primitives.js';
import type {
  ClaimOptions,
  ClaimState,
  CompleteClaimOptions,
  CounterOptions,
  LockOptions,
  SlotOptions,
  SlotResult,
  TtlOptions,
} from './store.js';
import { causeText, REDIS_URL_VAR, scrubCause, type RedisTarget } from './url.js';
import {
  CLAIM_DONE,
  checkClaim,
  checkComplete,
  checkCounter,
  checkKey,
  checkLock,
  checkSlot,
  checkTtl,
  claimRunning,
  claimStateOf,
  storedKey,
} from './validate.js';

/**
 * Lua scripts run atomically on the server, so each primitive is one indivisible step however
 * many instances share the Redis. Times come from the server (`TIME`) unless the caller passes
 * `now`, so instances with skewed clocks still agree. (Redis >= 5 replicates script effects,
 * which makes `TIME` before a write allowed.)
 */
const SCRIPTS = {
  // KEYS[1]=counter ARGV[1]=by ARGV[2]=windowMs → new count
  incr: `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`,
  // KEYS[1]=sorted set ARGV: limit, windowMs, now (-1 = server time), unique member id
  // → {1, remaining} or {0, retryAfterMs}
  slot: `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - n - 1}
end
local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return {0, wait}`,
  // KEYS[1]=lock ARGV: owner, ttlMs → 1 when held by owner afterwards
  acquire: `
local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
  renew: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`,
  release: `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
  // KEYS[1]=claim ARGV: running value, leaseMs → the value now stored (ours when claimed).
  // An expired lease is simply gone (PX), so it is claimable like an absent one.
  claim: `
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
return cur`,
  // KEYS[1]=claim ARGV: running value, ttlMs, done value → 1 when this owner's (or a lapsed) claim became done
  complete: `
local cur = redis.call('GET', KEYS[1])
if (not cur) or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
  return 1
end
return 0`,
} as const;

type ScriptName = keyof typeof SCRIPTS;
const SHAS = Object.fromEntries(
  Object.entries(SCRIPTS).map(([name, body]) => [name, createHash('sha1').update(body).digest('hex')]),
) as Record<ScriptName, string>;

/** Key-value, counters, slots and locks in Redis. Keys: `<namespace>:kv:<key>`, `:ctr:`, `:slot:`, `:lock:`. */
export class RedisPrimitives implements Primitives {
  constructor(
    private readonly client: RedisClient,
    private readonly namespace: string,
  ) {}

  /** The Redis key; `stored` was already checked and shortened by storedKey/checkLock. */
  #k(kind: string, stored: string): string {
    return `${this.namespace}:${kind}:${stored}`;
  }

  /** EVALSHA, loading the script on first use (or after a server restart flushed it). */
  async #run(name: ScriptName, key: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await this.client.evalsha(SHAS[name], 1, key, ...args);
    } catch (err) {
      if (!String((err as Error)?.message).includes('NOSCRIPT')) throw err;
      return this.client.eval(SCRIPTS[name], 1, key, ...args);
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(this.#k('kv', storedKey(key)))) ?? undefined;
  }

  async set(key: string, value: string, options?: TtlOptions): Promise<void> {
    const k = this.#k('kv', storedKey(key));
    const ttl = checkTtl(options);
    if (ttl === undefined) await this.client.set(k, value);
    else await this.client.set(k, value, 'PX', ttl);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.del(this.#k('kv', storedKey(key)))) > 0;
  }

  async setIfAbsent(key: string, value: string, options?: TtlOptions): Promise<boolean> {
    const k = this.#k('kv', storedKey(key));
    const ttl = checkTtl(options);
    const reply = ttl === undefined ? await this.client.set(k, value, 'NX') : await this.client.set(k, value, 'PX', ttl, 'NX');
    return reply === 'OK';
  }

  async incr(key: string, options: CounterOptions): Promise<number> {
    const k = this.#k('ctr', storedKey(key));
    const { windowMs, by } = checkCounter(options);
    return Number(await this.#run('incr', k, by, windowMs));
  }

  async acquireSlot(key: string, options: SlotOptions): Promise<SlotResult> {
    const k = this.#k('slot', storedKey(key));
    const { limit, windowMs, now } = checkSlot(options);
    const reply = (await this.#run('slot', k, limit, windowMs, now ?? -1, randomUUID())) as [number, number];
    return reply[0] === 1 ? { ok: true, remaining: Number(reply[1]) } : { ok: false, retryAfterMs: Number(reply[1]) };
  }

  async acquireLock(name: string, options: LockOptions): Promise<boolean> {
    const { name: stored, owner, ttlMs } = checkLock(name, options);
    return Number(await this.#run('acquire', this.#k('lock', stored), owner, ttlMs)) === 1;
  }

  async renewLock(name: string, options: LockOptions): Promise<boolean> {
    const { name: stored, owner, ttlMs } = checkLock(name, options);
    return Number(await this.#run('renew', this.#k('lock', stored), owner, ttlMs)) === 1;
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    const stored = storedKey(name, 'lock name');
    checkKey(owner, 'lock owner');
    return Number(await this.#run('release', this.#k('lock', stored), owner)) === 1;
  }

  async claim(key: string, options: ClaimOptions): Promise<ClaimState> {
    const { key: stored, running, leaseMs } = checkClaim(key, options);
    const now = await this.#run('claim', this.#k('kv', stored), running, leaseMs);
    return claimStateOf(typeof now === 'string' ? now : String(now), running);
  }

  async completeClaim(key: string, options: CompleteClaimOptions): Promise<boolean> {
    const { key: stored, running, ttlMs } = checkComplete(key, options);
    return Number(await this.#run('complete', this.#k('kv', stored), running, ttlMs, CLAIM_DONE)) === 1;
  }

  async releaseClaim(key: string, owner: string): Promise<boolean> {
    const stored = storedKey(key);
    checkKey(owner, 'claim owner');
    return Number(await this.#run('release', this.#k('kv', stored), claimRunning(owner))) === 1;
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/**
 * Connects to Redis, failing fast (one attempt) at start-up with an error that names
 * WECOMBOT_REDIS_URL; once connected, ioredis reconnects with backoff as usual.
 */
export async function openRedisPrimitives(target: RedisTarget, namespace: string): Promise<RedisPrimitives> {
  let Redis: typeof RedisClient;
  try {
    const mod = await import('ioredis');
    Redis = mod.Redis ?? mod.default;
  } catch (cause) {
    throw new StoreUnsupportedError('the Redis driver needs the ioredis package, which is not installed', {
      hint: 'npm install ioredis',
      cause,
    });
  }
  let connected = false;
  const client = new Redis(target.url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => (connected ? Math.min(times * 100, 2000) : null),
  });
  // Without a listener, a dropped connection would be an unhandled 'error' event. The first
  // error is kept: connect() itself only rejects with "Connection is closed".
  let firstError: unknown;
  client.on('error', (err: unknown) => {
    firstError ??= err;
  });
  try {
    await client.connect();
    await client.ping();
    connected = true;
  } catch (err) {
    client.disconnect();
    const cause = firstError ?? err;
    throw new StoreConnectionError(`${REDIS_URL_VAR}: cannot use Redis at ${target.redacted}: ${causeText(cause, target.url)}`, {
      hint: 'check that Redis runs there and that the password and database number are right',
      cause: scrubCause(cause, target.url),
    });
  }
  return new RedisPrimitives(client, namespace);
}
