import { createHash, randomBytes } from 'node:crypto';
import type { WebhookLogger } from '../client/logger.js';
import type { Store } from '../store/store.js';
import { CorpApiError, CorpTokenError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/** How long an instance waits before it tries a failed early refresh again. */
const EARLY_RETRY_PAUSE_MS = 30_000;

/** What one gettoken call returned. */
export interface FetchedToken {
  accessToken: string;
  /** Seconds, as WeCom reports them (normally 7200). */
  expiresIn: number;
}

export interface AccessTokenCacheOptions {
  store: Store;
  corpId: string;
  /** Only a hash of it is used, to keep the tokens of several apps of one corp apart. */
  secret: string;
  /** One gettoken call. */
  fetch: () => Promise<FetchedToken>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  logger?: WebhookLogger | undefined;
  /** Refresh this long before expiry (at most half the lifetime). Default 5 minutes. */
  refreshMarginMs?: number;
  /** Lease of the fetch lock; longer than one gettoken request may take. Default 15 s. */
  lockTtlMs?: number;
  /** How long an instance waits for another's fetch before giving up. Default twice the lease. */
  waitMs?: number;
  /** How long a refused gettoken (wrong secret, 45009) stops every instance from asking again. Default 5 s. */
  failureTtlMs?: number;
}

/** The stored form: token, hard expiry and the time from which a refresh is due (epoch ms). */
interface Entry {
  token: string;
  expiresAt: number;
  refreshAt: number;
}

/** A refused gettoken, shared so that the other instances do not repeat it. */
interface Failure {
  errcode?: number;
  errmsg?: string;
  message: string;
}

/**
 * The access token of one app, cached in the store and shared by every instance (every
 * process, every serverless copy) that uses the same store:
 *
 * - a cold start reads the token another instance fetched; only when there is none does one
 *   instance (the holder of a store lock) call gettoken while the others wait for its result,
 *   so N cold instances make one call;
 * - it is refreshed `refreshMarginMs` before it expires, by one instance, while the others
 *   keep using the still-valid one;
 * - `replace(rejected)` is for a token WeCom refused (40014, 42001, 40001): it fetches a new one
 *   only if the cached token is still the rejected one (compared under the lock), so twenty
 *   instances that saw the same 42001 cause one gettoken;
 * - a gettoken that WeCom refuses (wrong secret, 45009) is remembered for `failureTtlMs`, so a
 *   bad secret does not turn into a storm of calls (repeated wrong secrets ban the IP for an
 *   hour, corp notes §1).
 *
 * The store key holds the corpid and a hash of the secret, never the secret. The token itself
 * is never logged.
 */
export class AccessTokenCache {
  /** The store key of the token (`corp:token:<corpid>:<hash of the secret>`). */
  readonly key: string;
  private readonly lockName: string;
  private readonly failureKey: string;
  private readonly owner = `${process.pid}-${randomBytes(6).toString('hex')}`;
  private readonly margin: number;
  private readonly lockTtl: number;
  private readonly wait: number;
  private readonly failureTtl: number;
  private local: Entry | undefined;
  /** After a failed early refresh, the next try waits (the current token still works). */
  private earlyRetryAt = 0;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(private readonly o: AccessTokenCacheOptions) {
    const app = `${o.corpId}:${secretHash(o.secret)}`;
    this.key = `corp:token:${app}`;
    this.lockName = `corp:token-fetch:${app}`;
    this.failureKey = `corp:token-failure:${app}`;
    this.margin = o.refreshMarginMs ?? 5 * 60_000;
    this.lockTtl = o.lockTtlMs ?? 15_000;
    this.wait = o.waitMs ?? 2 * this.lockTtl;
    this.failureTtl = o.failureTtlMs ?? 5_000;
  }

  /** A token to call the API with: cached, refreshed when due, fetched once when there is none. */
  async get(): Promise<string> {
    const now = this.o.now();
    if (this.local && now < this.local.refreshAt) return this.local.token;
    const entry = await this.read();
    if (entry && now < entry.refreshAt) return entry.token;
    if (entry && now < entry.expiresAt) return now < this.earlyRetryAt ? entry.token : this.refreshEarly(entry);
    return this.single('', () => this.obtain(undefined));
  }

  /** A token other than `rejected`, which WeCom just refused; at most one gettoken among all instances. */
  async replace(rejected: string): Promise<string> {
    if (this.local && this.local.token !== rejected && this.o.now() < this.local.expiresAt) return this.local.token;
    return this.single(rejected, () => this.obtain(rejected));
  }

  /** Forgets this instance's copy (the store keeps the shared one). */
  forgetLocal(): void {
    this.local = undefined;
  }

  /** One fetch per rejected token per process; the callers in this process share it. */
  private single(rejected: string, run: () => Promise<string>): Promise<string> {
    let p = this.inflight.get(rejected);
    if (!p) {
      p = run().finally(() => this.inflight.delete(rejected));
      this.inflight.set(rejected, p);
    }
    return p;
  }

  /** The token is still valid but due: one instance refreshes it, the others use it meanwhile. */
  private async refreshEarly(entry: Entry): Promise<string> {
    if (!(await this.o.store.acquireLock(this.lockName, { owner: this.owner, ttlMs: this.lockTtl }))) return entry.token;
    try {
      const current = await this.read();
      if (current && this.o.now() < current.refreshAt) return current.token;
      await this.throwIfRecentlyRefused();
      return await this.fetchAndStore(current ?? entry);
    } catch (err) {
      // The old token still works: use it, and try again later rather than on every call.
      this.earlyRetryAt = this.o.now() + EARLY_RETRY_PAUSE_MS;
      this.o.logger?.warn?.(
        { corpId: this.o.corpId, err: errorText(err) },
        'early access-token refresh failed; using the current token meanwhile',
      );
      return entry.token;
    } finally {
      await this.release();
    }
  }

  /** Gets a usable token that is not `rejected`: from the store, or by fetching under the lock. */
  private async obtain(rejected: string | undefined): Promise<string> {
    const deadline = this.o.now() + this.wait;
    if (rejected !== undefined) {
      // Most instances that saw a refusal find the replacement already stored: no lock needed.
      const current = await this.read();
      if (this.acceptable(current, rejected)) return current.token;
    }
    await this.throwIfRecentlyRefused();
    let pause = 20;
    for (;;) {
      if (await this.o.store.acquireLock(this.lockName, { owner: this.owner, ttlMs: this.lockTtl })) {
        try {
          // Compare before replacing: another instance may have refreshed since we looked.
          const current = await this.read();
          if (this.acceptable(current, rejected)) return current.token;
          return await this.fetchAndStore(current);
        } finally {
          await this.release();
        }
      }
      // Another instance is fetching: wait for its token rather than asking WeCom too.
      await this.o.sleep(pause);
      pause = Math.min(pause * 2, 200);
      const current = await this.read();
      if (this.acceptable(current, rejected)) return current.token;
      await this.throwIfRecentlyRefused();
      if (this.o.now() > deadline) {
        throw new CorpTokenError(
          `no access token for corp ${this.o.corpId}: another instance held the gettoken lock for over ${this.wait} ms`,
          {
            hint: 'check that the store is shared and reachable, and that gettoken answers (network, proxy)',
          },
        );
      }
    }
  }

  private acceptable(entry: Entry | undefined, rejected: string | undefined): entry is Entry {
    return !!entry && entry.token !== rejected && this.o.now() < entry.expiresAt;
  }

  private async fetchAndStore(previous: Entry | undefined): Promise<string> {
    const started = this.o.now();
    let fetched: FetchedToken;
    try {
      fetched = await this.o.fetch();
    } catch (err) {
      if (err instanceof CorpApiError && err.retryable !== 'yes') await this.rememberRefusal(err);
      throw err;
    }
    const { accessToken, expiresIn } = fetched;
    if (!accessToken || Buffer.byteLength(accessToken) > CORP_LIMITS.accessTokenBytesMax || !(expiresIn > 0)) {
      throw new CorpTokenError(`gettoken for corp ${this.o.corpId} answered errcode 0 without a usable access_token/expires_in`, {
        hint: 'check baseUrl: this does not look like the WeCom corp API',
      });
    }
    const lifetime = expiresIn * 1000;
    const expiresAt = started + lifetime;
    // WeCom answers the same token while it is valid (91039): asking again before it expires
    // would only repeat the call, so a repeated token is kept until its expiry.
    const refreshAt = previous?.token === accessToken ? expiresAt : started + Math.max(lifetime - this.margin, lifetime / 2);
    const entry: Entry = { token: accessToken, expiresAt, refreshAt };
    await this.o.store.set(this.key, JSON.stringify(entry), { ttlMs: Math.max(1, expiresAt - this.o.now()) });
    this.local = entry;
    this.o.logger?.info?.({ corpId: this.o.corpId, expiresIn }, 'fetched a corp access token');
    return accessToken;
  }

  private async read(): Promise<Entry | undefined> {
    const raw = await this.o.store.get(this.key);
    if (!raw) return undefined;
    try {
      const e = JSON.parse(raw) as Entry;
      if (typeof e.token !== 'string' || typeof e.expiresAt !== 'number' || typeof e.refreshAt !== 'number') return undefined;
      this.local = e;
      return e;
    } catch {
      return undefined;
    }
  }

  private async release(): Promise<void> {
    await this.o.store.releaseLock(this.lockName, this.owner).catch(() => undefined);
  }

  private async rememberRefusal(err: CorpApiError): Promise<void> {
    const failure: Failure = { errcode: err.errcode, errmsg: err.errmsg, message: err.message };
    await this.o.store.set(this.failureKey, JSON.stringify(failure), { ttlMs: this.failureTtl }).catch(() => undefined);
  }

  /** Rethrows a refusal another instance (or this one) met moments ago, without calling gettoken. */
  private async throwIfRecentlyRefused(): Promise<void> {
    const raw = await this.o.store.get(this.failureKey);
    if (!raw) return;
    const f = JSON.parse(raw) as Failure;
    if (typeof f.errcode === 'number') throw new CorpApiError('gettoken', f.errcode, f.errmsg ?? '');
    throw new CorpTokenError(f.message);
  }
}

/** 16 hex digits of SHA-256: enough to keep apps apart, useless for recovering the secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
