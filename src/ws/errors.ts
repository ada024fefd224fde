/**
 * Typed errors of the long connection. WeCom's errcodes that change what the client does have
 * names (the SDK rejects with the raw ack frame instead, so every integrator sniffs numbers).
 */
import { WecombotError } from '../errors.js';
import type { ErrorCode } from '../error-codes.js';

/** errcodes seen on the long connection (wecom-aibot.md §7; meanings partly UNCONFIRMED). */
export const WS_ERRCODE = {
  /** `invalid req_id`: unknown/expired req_id, or the wrong kind (a message reply to an event). */
  invalidReqId: 846605,
  /** `stream message update expired`: the stream is past its lifetime (6 min from its first frame). */
  streamExpired: 846608,
  /** `aibot websocket not subscribed`: the socket is dead or unsubscribed; reconnect and resend. */
  notSubscribed: 846609,
} as const;

export type WsErrorCode = Extract<ErrorCode, `ws_${string}`>;

export class WsError extends WecombotError {
  /** WeCom's errcode, when an ack carried one. */
  readonly errcode: number | undefined;
  /** The frame's req_id and cmd (never its body). */
  readonly reqId: string | undefined;
  readonly cmd: string | undefined;

  constructor(
    code: WsErrorCode,
    message: string,
    options: { errcode?: number; reqId?: string; cmd?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.errcode = options.errcode;
    this.reqId = options.reqId;
    this.cmd = options.cmd;
  }
}

/** An ack with a non-zero errcode. */
export function replyFailed(errcode: number, errmsg: string, cmd: string | undefined, reqId: string): WsError {
  const hint =
    errcode === WS_ERRCODE.invalidReqId
      ? 'the req_id is unknown, expired or of another kind (a message reply to an event): send a new message instead'
      : errcode === WS_ERRCODE.streamExpired
        ? 'a stream lives 6 minutes from its first frame: send the rest as a new message'
        : undefined;
  return new WsError('ws_reply_failed', `WeCom answered ${cmd ?? 'a frame'} with errcode ${errcode}: ${errmsg}`, {
    errcode,
    reqId,
    cmd,
    hint,
  });
}

/** True when `err` is an ack with this errcode. */
export function hasErrcode(err: unknown, errcode: number): boolean {
  return err instanceof WsError && err.errcode === errcode;
}
