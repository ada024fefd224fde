/**
 * AWS Lambda: Function URL / API Gateway HTTP API (payload 2.0) and REST API (1.0) events
 * become a BotRequest; EventBridge scheduled events run a job named after the rule.
 * Translation only; every check is in `bot.handle`.
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
import { lambdaSelfInvoker } from './async-invoke/self-invoke.js';

/** Function URL / HTTP API payload 2.0. */
export interface LambdaHttpV2Event {
  version: '2.0';
  rawPath: string;
  rawQueryString: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: { http: { method: string; path?: string; sourceIp?: string } };
}

/** REST API payload 1.0. */
export interface LambdaHttpV1Event {
  httpMethod: string;
  path: string;
  headers?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: { identity?: { sourceIp?: string } };
}

/** EventBridge (CloudWatch Events) scheduled event; or a constant input `{ "job": "name" }`. */
export interface LambdaScheduledEvent {
  source?: string;
  'detail-type'?: string;
  time?: string;
  resources?: string[];
  detail?: { job?: string };
  job?: string;
}

export interface LambdaResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

export type LambdaEvent = LambdaHttpV2Event | LambdaHttpV1Event | LambdaScheduledEvent;

function isV2(e: LambdaEvent): e is LambdaHttpV2Event {
  return (e as LambdaHttpV2Event).version === '2.0' && typeof (e as LambdaHttpV2Event).requestContext?.http === 'object';
}
function isV1(e: LambdaEvent): e is LambdaHttpV1Event {
  return typeof (e as LambdaHttpV1Event).httpMethod === 'string';
}

/**
 * Job name of a scheduled event: `job` / `detail.job` when the rule passes a constant input,
 * else the last segment of the rule (or schedule) ARN: `arn:aws:events:…:rule/daily-report` → `daily-report`.
 */
export function scheduledJobName(e: LambdaScheduledEvent): string | undefined {
  if (typeof e.job === 'string' && e.job) return e.job;
  if (typeof e.detail?.job === 'string' && e.detail.job) return e.detail.job;
  const arn = e.resources?.[0];
  if (!arn) return undefined;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return name || undefined;
}

/** Translates an HTTP event into a BotRequest (raw query kept when the platform gives it). */
export function lambdaRequest(event: LambdaHttpV2Event | LambdaHttpV1Event): BotRequest {
  if (isV2(event)) {
    return {
      method: event.requestContext.http.method.toUpperCase(),
      path: event.rawPath || '/',
      rawQuery: event.rawQueryString ?? '',
      query: parseQuery(event.rawQueryString ?? ''),
      headers: normalizeHeaders(event.headers),
      body: eventBody(event.body, event.isBase64Encoded),
      ...optionalAddress(event.requestContext.http.sourceIp),
    };
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) flat[k] = v;
  const rawQuery = formatQuery(flat);
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path || '/',
    rawQuery,
    query: parseQuery(rawQuery),
    headers: normalizeHeaders(event.headers ?? undefined),
    body: eventBody(event.body, event.isBase64Encoded),
    ...optionalAddress(event.requestContext?.identity?.sourceIp),
  };
}

/**
 * The Lambda entry: `export const handler = createLambdaHandler(() => createBot(...))`. With the
 * runtime's role credentials, robot callbacks are handed to an asynchronous invocation of the
 * same function (InvocationType Event) and acknowledged at once; see createScfHandler.
 */
export function createLambdaHandler(
  source: BotSource,
  options: FaasOptions = {},
): (event: LambdaEvent, context?: FaasContext) => Promise<LambdaResponse | Record<string, unknown>> {
  const getBot = lazyBot(source);
  const env = options.env ?? process.env;
  let invoker: ReturnType<typeof lambdaSelfInvoker> | null = null;
  // The runtime always sets the role's credentials; a function without them is said so, once.
  const warnNoHandoff = noHandoffWarning('lambda', env);
  return async (event, context) => {
    const bot: Bot = await getBot();
    if (isHandoffEvent(event)) return runHandedOff(bot, event, context);
    if (isV2(event) || isV1(event)) {
      // The first invocation's ARN names the alias or version this instance serves.
      if (invoker === null) invoker = lambdaSelfInvoker(env, context?.invokedFunctionArn);
      if (!invoker) warnNoHandoff?.(bot);
      const res = await answerHttp(bot, lambdaRequest(event), context, invoker);
      return { statusCode: res.status, headers: res.headers, body: res.body, isBase64Encoded: false };
    }
    const job = scheduledJobName(event);
    if (!job) {
      bot.log.warn({ keys: Object.keys(event ?? {}) }, 'lambda event is neither HTTP nor a scheduled event');
      return { status: 'unknown', name: '' };
    }
    const result = await bot.runJob(job, event.time ? new Date(event.time) : new Date());
    return result.status === 'failed' ? { status: 'failed', name: result.name, error: result.error.describe() } : result;
  };
}
