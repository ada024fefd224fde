/**
 * Redaction of bearer secrets that travel inside URLs: the webhook `key` (anyone holding it can
 * post as the robot) and the AI bot `response_code`. Used for every message and log line that
 * may contain a URL or a WeCom errmsg.
 */
const SECRET_PARAMS = /\b(key|response_code)=[^&\s"'<>#]+/gi;

/**
 * Replace the value of `key=` and `response_code=` query parameters with `***`.
 *
 * @example redactWebhookKey('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a-…') // '…send?key=***'
 */
export function redactWebhookKey(text: string): string {
  return text.replace(SECRET_PARAMS, (_, name: string) => `${name}=***`);
}
