import { WecombotError } from '../../errors.js';

/** Why a module route refused a request; `status` is the HTTP status sent back. */
export type RouteErrorCode =
  'route_body_invalid' | 'route_body_too_large' | 'route_unauthorized' | 'route_forbidden' | 'route_rate_limited';

/**
 * A refusal with its HTTP status. Route handlers may throw it too (for example a 400 naming
 * the bad field); its message goes back to the caller, so it must hold no secret.
 */
export class RouteError extends WecombotError {
  declare readonly code: RouteErrorCode;
  readonly status: number;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: RouteErrorCode,
    message: string,
    options: { hint?: string; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(code, message, options);
    this.status = status;
    this.headers = options.headers ?? {};
  }
}
