/**
 * Tencent Cloud SCF event functions: Function URL and (legacy) API Gateway events become a
 * BotRequest, Timer events run a job. Translation only; every check is in `bot.handle`.
 *
 * @example
 * // index.js (built by `wecombot build --target scf`)
 * export const main_handler = createScfHandler(() => createBot({ ... }));
 */
import type { Bot } from '../bot/bot.js';
import { formatQuery, normalizeHeaders, parseQuery, type BotRequest } from '../bot/request.js';
import {
  answerHttp,
  eventBody,
  isHandoffEvent,
  lazyBot,
  noHandoffWarning,
  optionalAddress,
  runHandedOff,
  type BotSource,
  type FaasContext,
  type FaasOptions,
} from './faas.js';
import { scfSelfInvoker } from './async-invoke/self-invoke.js';

/** Function URL / API Gateway event (header names may be any case). */
export interface ScfHttpEvent {
  httpMethod: string;
  path?: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  /** Decoded query values (Function URL and API Gateway). */
  queryString?: Record<string, string | string[] | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  requestContext?: { path?: string; httpMethod?: string; stage?: string; sourceIp?: string };
}

/** Timer trigger event. `Message` may carry `{"job":"name"}` to override the trigger name. */
export interface ScfTimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time: string;
  Message?: string;
}

/** SCF's integrated-response object. */
export interface ScfResponse {
  isBase64Encoded: false;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type ScfEvent = ScfHttpEvent | ScfTimerEvent;

function isTimer(event: unknown): event is ScfTimerEvent {
  return typeof event === 'object' && event !== null && (event as ScfTimerEvent).Type === 'Timer';
}

/** Job name of a timer event: `Message` `{"job": …}` when given, else the trigger name. */
export function timerJobName(event: ScfTimerEvent): string {
  if (event.Message) {
    try {
      const m = JSON.parse(event.Message) as { job?: unknown };
      if (typeof m.job === 'string' && m.job) return m.job;
    } catch {
      // A plain-text Message is the user's own input, not a job selector.
    }
  }
  return event.TriggerName;
}

/** Translates an HTTP event into a BotRequest. */
export function scfRequest(event: ScfHttpEvent): BotRequest {
  const raw = event.queryString ?? event.queryStringParameters ?? {};
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) flat[k] = Array.isArray(v) ? String(v[0]) : String(v);
  // SCF hands over decoded values only: re-encode them so `+` in an echostr survives.
  const rawQuery = formatQuery(flat);
  const headers = normalizeHeaders(event.headers);
  return {
    method: (event.httpMethod || event.requestContext?.httpMethod || 'GET').toUpperCase(),
    path: event.path || '/',
    rawQuery,
    query: parseQuery(rawQuery),
    headers,
    body: eventBody(event.body, event.isBase64Encoded),
    // API Gateway reports the caller in requestContext; a Function URL in x-scf-remote-addr,
    // which the platform sets (UNCONFIRMED that it overwrites one a caller sends: an IP
    // allow-list on a Function URL is only as strong as that).
    ...optionalAddress(event.requestContext?.sourceIp ?? headers['x-scf-remote-addr']),
  };
}

/**
 * The SCF event-function entry. HTTP events: a deployed function with an execution role hands
 * each robot callback to an asynchronous invocation of itself (Invoke, InvocationType Event)
 * and answers WeCom at once; elsewhere the callback is handled here, late work finished before
 * returning (the platform freezes the instance on return). Timer events run `bot.runJob`.
 */
export function createScfHandler(
  source: BotSource,
  options: FaasOptions = {},
): (event: ScfEvent, context?: FaasContext) => Promise<ScfResponse | Record<string, unknown>> {
  const getBot = lazyBot(source);
  // Read once per instance: the role's credentials are in the environment of every invocation.
  const env = options.env ?? process.env;
  const invoker = scfSelfInvoker(env);
  // A deployed function without a role: said once per instance, not silently slow.
  const warnNoHandoff = invoker ? undefined : noHandoffWarning('scf', env);
  return async (event, context) => {
    const bot: Bot = await getBot();
    if (isHandoffEvent(event)) return runHandedOff(bot, event, context);
    if (isTimer(event)) {
      const result = await bot.runJob(timerJobName(event), event.Time ? new Date(event.Time) : new Date());
      return result.status === 'failed' ? { status: 'failed', name: result.name, error: result.error.describe() } : result;
    }
    warnNoHandoff?.(bot);
    const res = await answerHttp(bot, scfRequest(event), context, invoker);
    return { isBase64Encoded: false, statusCode: res.status, headers: res.headers, body: res.body };
  };
}
