/**
 * The one place secrets are hidden. WeCom puts bearer secrets into URLs: the webhook `key=`
 * (whoever holds it posts as the robot), the `code=` of a GetChatInfoUrl, the `response_code=`
 * of an AI bot's response_url, an `access_token=`; database and Redis URLs carry passwords.
 * Every message, hint and log line that may hold a URL or a library's error text goes through
 * here. This file imports nothing: every layer may use it.
 */

/** What a hidden value becomes. */
export const REDACTED = '***';

/** The URL query parameters whose value is a secret (`password=` as libpq accepts it in a connection string). */
export const SECRET_URL_PARAMS = ['key', 'code', 'response_code', 'access_token', 'corpsecret', 'password'] as const;

/**
 * Secret values shorter than this are not searched for in text: a two-letter "secret" would
 * hide ordinary words, and no WeCom token, key or password that short is worth hiding.
 */
const MIN_SECRET_LENGTH = 4;

// `\b` so that `monkey=` or `errcode=` are left alone; a value ends where a URL or a quoted string does.
const SECRET_PARAM = new RegExp(`\\b(${SECRET_URL_PARAMS.join('|')})=[^&#\\s"'<>]+`, 'gi');
// scheme://user:password@ inside free text; the password runs to the last '@' before the path.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^\s/?#]*@/gi;

/**
 * Hides, inside any text, the value of every secret URL parameter, the password of every
 * `scheme://user:password@host`, and each of `secrets` (tokens, EncodingAESKeys, webhook keys).
 *
 * @example
 * redactSecrets('POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a-… failed')
 * // 'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=*** failed'
 * redactSecrets('cannot connect to postgres://bot:hunter2@db/prod') // 'cannot connect to postgres://bot:***@db/prod'
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let out = text.replace(SECRET_PARAM, `$1=${REDACTED}`).replace(URL_PASSWORD, `$1:${REDACTED}@`);
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Hides the password and the secret parameters of one URL, for messages and logs. Works on
 * strings `URL` cannot parse too (a password with a space, a bad port), because a malformed URL
 * is exactly when it gets printed.
 *
 * @example redactUrl('postgres://u:secret@h/db') // 'postgres://u:***@h/db'
 */
export function redactUrl(raw: string): string {
  let out: string;
  try {
    const url = new URL(raw);
    if (url.password) url.password = REDACTED;
    out = url.toString();
  } catch {
    // scheme://user:password@host: everything between the first ':' after '//' and the last '@'.
    out = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@]*@/i, `$1:${REDACTED}@`);
  }
  return redactSecrets(out);
}

/**
 * A webhook key shortened for labels: enough to tell robots apart, too little to post with.
 *
 * @example redactKey('693a91f6-7abc-4bc4-97a0-0ec2aaaa5aaa') // '693a…5aaa'
 */
export function redactKey(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : REDACTED;
}

/** The secret parts of a URL as they may appear in a driver's error text: the whole URL and its password (raw and decoded). */
export function secretsOfUrl(rawUrl: string): string[] {
  const out = [rawUrl];
  try {
    const url = new URL(rawUrl);
    if (url.password) out.push(url.password, decodeURIComponent(url.password));
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(rawUrl);
    if (m?.[1]) out.push(m[1]);
  }
  return out.filter((s) => s.length > 0);
}

/**
 * Library errors (drivers, HTTP stacks) sometimes echo a URL or a secret. Returns the error
 * itself when it is clean, else a copy whose message and stack are redacted, keeping its name
 * and `code`, so it can be kept as a `cause` safely.
 */
export function redactError(cause: unknown, secrets: readonly string[] = []): unknown {
  if (!(cause instanceof Error)) return cause;
  const stack = String(cause.stack);
  if (redactSecrets(cause.message, secrets) === cause.message && redactSecrets(stack, secrets) === stack) return cause;
  const copy = new Error(redactSecrets(cause.message, secrets));
  copy.name = cause.name;
  copy.stack = redactSecrets(stack, secrets);
  const code = (cause as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
