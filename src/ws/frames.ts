/**
 * The long connection's wire frame (doc 101463, observed against @wecom/aibot-node-sdk 1.0.7):
 * one JSON text frame per message, `{cmd?, headers: {req_id}, body?, errcode?, errmsg?}`.
 * Requests and pushes carry `cmd`; acknowledgements carry no `cmd`, echo `headers.req_id` and
 * carry `errcode`/`errmsg` (and a `body` for upload init/finish).
 */

import { quoteBigIntegers } from '../protocol/callback/json-body.js';

/** One frame, as sent or received. */
export interface WsFrame {
  cmd?: string;
  headers: { req_id: string; [name: string]: unknown };
  body?: unknown;
  errcode?: number;
  errmsg?: string;
}

/** The commands of the protocol, by direction. */
export const WS_CMD = {
  subscribe: 'aibot_subscribe',
  ping: 'ping',
  msgCallback: 'aibot_msg_callback',
  eventCallback: 'aibot_event_callback',
  respondMsg: 'aibot_respond_msg',
  respondWelcome: 'aibot_respond_welcome_msg',
  respondUpdate: 'aibot_respond_update_msg',
  sendMsg: 'aibot_send_msg',
  uploadInit: 'aibot_upload_media_init',
  uploadChunk: 'aibot_upload_media_chunk',
  uploadFinish: 'aibot_upload_media_finish',
} as const;

/** Commands WeCom pushes to the bot. */
export const INBOUND_COMMANDS: readonly string[] = [WS_CMD.msgCallback, WS_CMD.eventCallback];

/** A frame that could not be used, and why (never its content: it may hold message text). */
export interface FrameRejection {
  reason: 'too_large' | 'not_json' | 'not_object' | 'no_req_id' | 'bad_field';
  detail: string;
  bytes: number;
}

export type DecodedFrame = { ok: true; frame: WsFrame } | { ok: false; rejection: FrameRejection };

// Raw control characters (not \t \n \r) make JSON.parse fail; the SDK 1.0.7 strips them too.
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F]/g;

/** Parses and checks one inbound frame. Never throws. */
export function decodeFrame(data: string | Buffer, maxBytes: number): DecodedFrame {
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  if (bytes > maxBytes) return reject('too_large', `${bytes} bytes; the limit is ${maxBytes}`, bytes);
  const text = typeof data === 'string' ? data : data.toString('utf8');
  let value: unknown;
  // Ids of 16 digits or more become strings before JSON.parse rounds them (the callback body is
  // read from this parse: readAibotCallback expects it).
  const quoted = quoteBigIntegers(text);
  try {
    value = JSON.parse(quoted);
  } catch {
    try {
      value = JSON.parse(quoted.replace(CONTROL, ''));
    } catch (err) {
      // V8 quotes the text in its message: keep only the position.
      const at = /position (\d+)/.exec((err as Error).message)?.[1];
      return reject('not_json', at === undefined ? 'does not parse' : `does not parse at position ${at}`, bytes);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject('not_object', 'the frame is not an object', bytes);
  const f = value as Record<string, unknown>;
  const headers = f.headers;
  if (typeof headers !== 'object' || headers === null || typeof (headers as { req_id?: unknown }).req_id !== 'string')
    return reject('no_req_id', 'headers.req_id is missing or not a string', bytes);
  if (((headers as { req_id: string }).req_id as string).length === 0) return reject('no_req_id', 'headers.req_id is empty', bytes);
  if (f.cmd !== undefined && typeof f.cmd !== 'string') return reject('bad_field', 'cmd is not a string', bytes);
  if (f.errcode !== undefined && typeof f.errcode !== 'number') return reject('bad_field', 'errcode is not a number', bytes);
  return { ok: true, frame: f as unknown as WsFrame };
}

function reject(reason: FrameRejection['reason'], detail: string, bytes: number): DecodedFrame {
  return { ok: false, rejection: { reason, detail, bytes } };
}

/** Serializes a frame. */
export function encodeFrame(frame: WsFrame): string {
  return JSON.stringify(frame);
}

/** True for an acknowledgement (no `cmd`). */
export function isAck(frame: WsFrame): boolean {
  return frame.cmd === undefined;
}
