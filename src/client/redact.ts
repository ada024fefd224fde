/**
 * Webhook keys are bearer secrets: whoever holds one can post to the group. Everything the
 * client logs or throws goes through these helpers.
 */

/** `693a91f6-…-0ec2sifa5aaa` → `693a…5aaa`; short keys become `***`. */
export function redactKey(key: string): string {
  return key.length >= 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : '***';
}

const KEY_PARAM = /([?&](?:key|response_code|code)=)([^&#\s"'<>]+)/gi;

/** Replaces every `key=…` (and `response_code=`/`code=`) query value in `text` with its redacted form. */
export function redactUrlSecrets(text: string): string {
  return text.replace(KEY_PARAM, (_m, prefix: string, value: string) => `${prefix}${redactKey(decodeSafe(value))}`);
}

/** Removes `secrets` and secret-looking query values from an arbitrary text (e.g. a library's error message). */
export function scrub(text: string, secrets: Iterable<string> = []): string {
  let out = redactUrlSecrets(text);
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join(redactKey(s));
  }
  return out;
}

function decodeSafe(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
