/**
 * Turning whatever stopped a request before a handler into its HTTP answer and one log line:
 * a known refusal (bad signature, malformed body, wrong method) is its 4xx with its code; an
 * unexpected error is a 500 that says nothing more.
 */
import type { Logger } from 'pino';
import { toRequestError } from './callback.js';
import { respond, type BotRequest, type BotResponse } from './request.js';

type Level = 'info' | 'warn' | 'error';

/** Logs without ever throwing: a failing log destination must not turn a 4xx into a crash. */
export function safeLog(log: Logger, level: Level, obj: Record<string, unknown>, msg: string): void {
  try {
    log[level](obj, msg);
  } catch {
    // Nothing sensible left to report to.
  }
}

/** The answer to a request refused with `err`. */
export function refusal(log: Logger, err: unknown, req: BotRequest): BotResponse {
  const known = toRequestError(err);
  if (known) {
    const level = known.status === 404 || known.status === 405 ? 'info' : 'warn';
    safeLog(
      log,
      level,
      { code: known.code, status: known.status, method: req.method, path: req.path, hint: known.hint },
      `refused: ${known.message}`,
    );
    return respond(known.status, `${known.code}\n`);
  }
  safeLog(log, 'error', { err, method: req.method, path: req.path }, 'internal error while handling a callback');
  return respond(500, 'internal error\n');
}

/** 405 for a path that exists with other methods, with `Allow`. */
export function methodNotAllowed(log: Logger, req: BotRequest, allowed: readonly string[]): BotResponse {
  safeLog(
    log,
    'info',
    { code: 'bot_method_not_allowed', status: 405, method: req.method, path: req.path },
    `refused: ${req.method} ${req.path}`,
  );
  const res = respond(405, 'bot_method_not_allowed\n');
  res.headers.allow = allowed.join(', ');
  return res;
}
