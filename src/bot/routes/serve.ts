/**
 * Serving one module route: body limit, rate limit and authentication in that order (a flood
 * is throttled before any HMAC is computed), then the handler with a plain request. A bad body
 * is the caller's fault and gets a 4xx naming the problem; only a crashing handler is a 500.
 */
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';
import { respond, type BotRequest, type BotResponse } from '../request.js';
import { authenticate } from './auth.js';
import { RouteError } from './route-error.js';
import type { RouteTarget } from './table.js';
import type { RouteContext, RouteRequest, RouteResponse } from './types.js';

export interface RouteServices {
  store: Store;
  log: Logger;
  now: () => number;
  context: (owner: string) => RouteContext;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function routeRequest(req: BotRequest, params: Record<string, string>): RouteRequest {
  let text: string | undefined;
  let json: { value: unknown } | undefined;
  const out: RouteRequest = {
    method: req.method,
    path: req.path,
    params,
    get query() {
      return req.query;
    },
    headers: req.headers,
    body: req.body,
    remoteAddress: req.remoteAddress,
    text() {
      if (text !== undefined) return text;
      try {
        text = decoder.decode(req.body);
      } catch (cause) {
        throw new RouteError(400, 'route_body_invalid', 'the body is not valid UTF-8', { cause });
      }
      return text;
    },
    json<T>() {
      if (json) return json.value as T;
      const body = out.text();
      if (body.trim() === '') throw new RouteError(400, 'route_body_invalid', 'the body is empty; JSON expected');
      try {
        json = { value: JSON.parse(body) };
      } catch (cause) {
        throw new RouteError(400, 'route_body_invalid', `the body is not JSON: ${(cause as Error).message}`, {
          cause,
          hint: 'send Content-Type: application/json with a JSON document',
        });
      }
      return json.value as T;
    },
  };
  return out;
}

function render(res: RouteResponse | undefined): BotResponse {
  const status = res?.status ?? 200;
  const body = res?.body;
  if (body !== undefined && typeof body !== 'string') {
    const out = respond(status, JSON.stringify(body), 'application/json; charset=utf-8');
    Object.assign(out.headers, res?.headers);
    return out;
  }
  const out = respond(status, body ?? '');
  Object.assign(out.headers, res?.headers);
  return out;
}

function refusal(err: RouteError): BotResponse {
  const out = respond(
    err.status,
    JSON.stringify({ error: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }),
    'application/json; charset=utf-8',
  );
  Object.assign(out.headers, err.headers);
  return out;
}

/** Answers a request matched to a module route. Never throws. */
export async function serveModuleRoute(
  owner: string,
  pattern: string,
  target: Extract<RouteTarget, { kind: 'module' }>,
  params: Record<string, string>,
  req: BotRequest,
  s: RouteServices,
): Promise<BotResponse> {
  const log = s.log.child({ module: owner, route: pattern });
  try {
    if (req.body.byteLength > target.bodyLimitBytes) {
      throw new RouteError(413, 'route_body_too_large', `the body is larger than ${target.bodyLimitBytes} bytes`);
    }
    if (target.rateLimit) {
      const caller = req.remoteAddress ?? 'unknown';
      const slot = await s.store.acquireSlot(`route:${owner}:${pattern}:${caller}`, target.rateLimit);
      if (!slot.ok) {
        const seconds = Math.max(1, Math.ceil(slot.retryAfterMs / 1000));
        throw new RouteError(429, 'route_rate_limited', `more than ${target.rateLimit.limit} requests in ${target.rateLimit.windowMs} ms`, {
          headers: { 'retry-after': String(seconds) },
        });
      }
    }
    const request = routeRequest(req, params);
    await authenticate(target.def.auth, request, s.now());
    return render(await target.def.handler(request, s.context(owner)));
  } catch (err) {
    if (err instanceof RouteError) {
      log[err.status === 429 ? 'info' : 'warn'](
        { code: err.code, status: err.status, remote: req.remoteAddress },
        `route refused: ${err.message}`,
      );
      return refusal(err);
    }
    log.error({ err }, 'route handler failed');
    return respond(500, JSON.stringify({ error: 'route_handler_failed', message: 'internal error' }), 'application/json; charset=utf-8');
  }
}
