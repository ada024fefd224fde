/**
 * The event one invocation hands to the next: the callback's HTTP request as plain data. The
 * receiving invocation verifies and decrypts it again (nothing is trusted for being in an
 * event), so only the platform's own Invoke API, behind the function role, can start one.
 */
import type { BotRequest } from '../../bot/request.js';

export interface HandoffEvent {
  wecombotHandoff: {
    v: 1;
    method: string;
    path: string;
    rawQuery: string;
    headers: Record<string, string>;
    /** base64 */
    body: string;
    remoteAddress?: string;
    /** Epoch ms when the callback arrived (for the log line of a delayed handoff). */
    receivedAt: number;
  };
}

export function handoffEvent(req: BotRequest, receivedAt: number): HandoffEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
  return {
    wecombotHandoff: {
      v: 1,
      method: req.method,
      path: req.path,
      rawQuery: req.rawQuery,
      headers,
      body: Buffer.from(req.body).toString('base64'),
      ...(req.remoteAddress ? { remoteAddress: req.remoteAddress } : {}),
      receivedAt,
    },
  };
}

export function isHandoffEvent(event: unknown): event is HandoffEvent {
  const h = (event as Partial<HandoffEvent> | null)?.wecombotHandoff;
  return typeof h === 'object' && h !== null && h.v === 1 && typeof h.method === 'string' && typeof h.body === 'string';
}

/** The BotRequest back from the event (query parsed as the adapters do). */
export function requestFromHandoff(event: HandoffEvent, parseQuery: (raw: string) => Record<string, string>): BotRequest {
  const h = event.wecombotHandoff;
  return {
    method: h.method,
    path: h.path,
    rawQuery: h.rawQuery,
    query: parseQuery(h.rawQuery),
    headers: h.headers,
    body: Buffer.from(h.body, 'base64'),
    ...(h.remoteAddress ? { remoteAddress: h.remoteAddress } : {}),
  };
}
