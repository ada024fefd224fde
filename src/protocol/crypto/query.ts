import { quote, WecomCryptoError } from './crypto-error.js';

/** The signed values of a callback URL, as found (any of them may be missing). */
export interface CallbackQuery {
  msgSignature: string | undefined;
  timestamp: string | undefined;
  nonce: string | undefined;
  /** Present on the GET URL-verification request. */
  echostr: string | undefined;
  /** Every parameter, decoded. */
  params: Map<string, string>;
}

/**
 * Parses a callback URL, `?query` or bare query string. Values are percent-decoded exactly
 * once with `decodeURIComponent`, unlike `URLSearchParams`, which also turns `+` into a space
 * and so corrupts an echostr that arrived (or was pasted) with a literal `+`.
 *
 * @example
 * parseCallbackQuery('https://bot.example.com/wecom?msg_signature=…&timestamp=…&nonce=…&echostr=…')
 * @throws WecomCryptoError `query_invalid` (-40002) on a malformed `%` escape
 */
export function parseCallbackQuery(urlOrQuery: string): CallbackQuery {
  let query = urlOrQuery.trim();
  const hash = query.indexOf('#');
  if (hash >= 0) query = query.slice(0, hash);
  const mark = query.indexOf('?');
  if (mark >= 0) query = query.slice(mark + 1);
  const params = new Map<string, string>();
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawName = eq >= 0 ? piece.slice(0, eq) : piece;
    const rawValue = eq >= 0 ? piece.slice(eq + 1) : '';
    const name = decodePiece(rawName, rawName);
    // First occurrence wins, as in most HTTP frameworks.
    if (!params.has(name)) params.set(name, decodePiece(rawValue, name));
  }
  return {
    msgSignature: params.get('msg_signature'),
    timestamp: params.get('timestamp'),
    nonce: params.get('nonce'),
    echostr: params.get('echostr'),
    params,
  };
}

function decodePiece(raw: string, name: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch (cause) {
    throw new WecomCryptoError('query_invalid', `query parameter ${quote(name, 32)} has a malformed %-escape`, { cause });
  }
}
