/**
 * Scrubbing of secrets from log text. WeCom puts secrets into URLs (`key=` of webhook URLs,
 * `code=` of GetChatInfoUrl, `response_code=` of the AI bot's response_url), so every string
 * that reaches a log goes through here.
 */
const URL_SECRETS = /([?&](?:key|code|response_code|access_token)=)[^&\s"'<>]+/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/gi;

/** Hides URL secrets and every value in `secrets` (tokens, AES keys) inside `text`. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_SECRETS, '$1***').replace(URL_PASSWORD, '$1:***@');
  for (const s of secrets) if (s.length >= 6 && out.includes(s)) out = out.split(s).join('***');
  return out;
}
