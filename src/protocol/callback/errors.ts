import { WecombotError } from '../../errors.js';

/** Stable codes of {@link CallbackParseError}; each hostile or broken input gets its own. */
export type CallbackParseErrorCode =
  | 'callback_body_empty'
  | 'callback_body_too_large'
  | 'callback_body_not_utf8'
  | 'callback_xml_dtd_forbidden'
  | 'callback_xml_malformed'
  | 'callback_json_malformed'
  | 'callback_missing_field'
  | 'callback_invalid_field';

const HINTS: Record<CallbackParseErrorCode, string> = {
  callback_body_empty: 'WeCom always posts a body; check that the runtime passes the raw request body through',
  callback_body_too_large: 'WeCom callbacks are a few KiB; raise the maxBytes option only if you are sure the sender is WeCom',
  callback_body_not_utf8: 'WeCom sends UTF-8; the body was altered on the way (proxy, gateway base64 or charset conversion)',
  callback_xml_dtd_forbidden: 'WeCom never sends a DOCTYPE or ENTITY declaration; this request did not come from WeCom',
  callback_xml_malformed: 'the XML is not well formed; check that the gateway passes the raw body unchanged',
  callback_json_malformed: 'the JSON does not parse; check that the gateway passes the raw body unchanged',
  callback_missing_field:
    'a field WeCom always sends is absent; check robot_callback_format (xml or json) and the robot type (group or aibot)',
  callback_invalid_field: 'a field has a value WeCom does not document; check the robot type and callback format',
};

/**
 * A callback body (outer envelope or decrypted plaintext) that cannot be parsed. `wecomCode`
 * is the official SDK code for parse failures (-40002). `field` names the offending field,
 * e.g. `From.UserId` or `event.feedback_event.type`.
 */
export class CallbackParseError extends WecombotError {
  override readonly code: CallbackParseErrorCode;
  readonly wecomCode = -40002;
  readonly field: string | undefined;

  constructor(code: CallbackParseErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(code, message, { hint: HINTS[code], cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}
