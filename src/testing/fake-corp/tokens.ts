import { randomBytes } from 'node:crypto';

interface Issued {
  token: string;
  expiresAt: number;
  invalidated: boolean;
}

/** What a token presented with a call is. */
export type TokenVerdict = 'valid' | 'missing' | 'expired' | 'invalid';

/**
 * The fake's access tokens, as gettoken (91039) describes them: `expires_in` seconds of life,
 * the same token again when asked within its validity (with the seconds left), a new one after
 * expiry or invalidation. Tokens are per secret (each app has its own).
 */
export class FakeTokens {
  private readonly bySecret = new Map<string, Issued>();
  private readonly all = new Map<string, Issued>();

  constructor(
    private readonly lifetimeS: number,
    private readonly now: () => number,
  ) {}

  /** The current token of `secret`, or a new one; with the seconds it has left. */
  issue(secret: string): { token: string; expiresIn: number } {
    const t = this.now();
    let current = this.bySecret.get(secret);
    if (!current || current.invalidated || current.expiresAt <= t) {
      // Real tokens are opaque strings up to 512 bytes; these are long enough to be unmistakable in a leak check.
      current = { token: `fake-at-${randomBytes(24).toString('base64url')}`, expiresAt: t + this.lifetimeS * 1000, invalidated: false };
      this.bySecret.set(secret, current);
      this.all.set(current.token, current);
    }
    return { token: current.token, expiresIn: Math.max(1, Math.ceil((current.expiresAt - t) / 1000)) };
  }

  verify(token: string | undefined): TokenVerdict {
    if (!token) return 'missing';
    const issued = this.all.get(token);
    if (!issued || issued.invalidated) return 'invalid';
    return issued.expiresAt <= this.now() ? 'expired' : 'valid';
  }

  invalidateAll(): void {
    for (const issued of this.all.values()) issued.invalidated = true;
  }

  tokens(): string[] {
    return [...this.all.keys()];
  }
}
