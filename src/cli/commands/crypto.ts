import { Option, type Command } from 'commander';
import { WecombotError } from '../../errors.js';
import {
  computeSignature,
  decrypt,
  encrypt,
  parseCallbackQuery,
  parseEncodingAESKey,
  signaturesEqual,
  WecomCryptoError,
} from '../../protocol/crypto/index.js';

/**
 * `wecombot crypto`: operator tools for "URL verification failed" (信息校验失败). Every
 * positional argument may be `-` to read it from stdin (so secrets and long values stay out of
 * the shell history); `--token` and `--key` also fall back to WECOM_TOKEN and
 * WECOM_ENCODING_AES_KEY.
 */
export function registerCryptoCommand(program: Command): void {
  const crypto = program
    .command('crypto')
    .description('sign, encrypt, decrypt and check WeCom callbacks (WXBizMsgCrypt); an argument "-" reads stdin');

  crypto
    .command('sign')
    .description('print the msg_signature of a ciphertext')
    .addOption(tokenOption())
    .requiredOption('--timestamp <timestamp>', 'the timestamp query parameter')
    .requiredOption('--nonce <nonce>', 'the nonce query parameter')
    .argument('<encrypt>', 'the ciphertext (echostr or Encrypt), URL-decoded, or - for stdin')
    .action(async (value: string, opts: { token: string; timestamp: string; nonce: string }) => {
      const ciphertext = (await readArgument(value)).trim();
      print(computeSignature(opts.token, opts.timestamp, opts.nonce, ciphertext));
    });

  crypto
    .command('encrypt')
    .description('encrypt a message and print the base64 ciphertext')
    .addOption(keyOption())
    .option('--receive-id <id>', 'receiveid to append ("" for group robots, CorpID for apps)', '')
    .option('--random <16 chars>', 'fixed 16-byte random prefix, for reproducible output (tests only)')
    .argument('<plaintext>', 'the message, or - for stdin (one trailing newline is dropped)')
    .action(async (value: string, opts: { key: string; receiveId: string; random?: string }) => {
      const plaintext = value === '-' ? dropNewline(await readStdin()) : value;
      print(encrypt(parseEncodingAESKey(opts.key), plaintext, { receiveId: opts.receiveId, random: opts.random }));
    });

  crypto
    .command('decrypt')
    .description('decrypt a ciphertext and print the message (no signature check)')
    .addOption(keyOption())
    .option('--receive-id <id>', 'expected receiveid ("" for group robots, CorpID for apps)', '')
    .argument('<ciphertext>', 'the base64 ciphertext, URL-decoded, or - for stdin')
    .action(async (value: string, opts: { key: string; receiveId: string }) => {
      const ciphertext = (await readArgument(value)).trim();
      print(decrypt(parseEncodingAESKey(opts.key), ciphertext, { receiveId: opts.receiveId }).message);
    });

  crypto
    .command('verify-url')
    .description('check a URL-verification callback and print the echostr plaintext, or say exactly what does not match')
    .addOption(tokenOption())
    .addOption(keyOption())
    .option('--receive-id <id>', 'expected receiveid ("" for group robots, CorpID for apps)', '')
    .argument('<url>', 'the full callback URL with msg_signature, timestamp, nonce and echostr (quote it), or - for stdin')
    .action(async (value: string, opts: { token: string; key: string; receiveId: string }) => {
      print(verifyCallbackUrl(await readArgument(value), opts));
    });
}

/** Who a `verify-url` checks for: the words its messages use (a robot, or a corp app for `corp verify-url`). */
export interface VerifyUrlTarget {
  /** Where the Token and EncodingAESKey are set, e.g. "the robot's 接收消息配置". */
  settings: string;
  /** The hint when the signature is right but the receiveid is not. */
  receiveIdHint: string;
}

const ROBOT: VerifyUrlTarget = {
  settings: "the robot's 接收消息配置",
  receiveIdHint: "group robots and internal AI bots use --receive-id '' (the default); app callbacks use the CorpID",
};

/**
 * The checks of `verify-url`, in the order WeCom's own SDKs run them, each with its own message.
 * Shared by `crypto verify-url` and its corp twin `corp verify-url` (receiveid = the corpid).
 *
 * @returns the echostr plaintext, the body the callback URL must answer
 * @throws WecomCryptoError saying what does not match
 */
export function verifyCallbackUrl(
  url: string,
  opts: { token: string; key: string; receiveId: string },
  target: VerifyUrlTarget = ROBOT,
): string {
  const key = parseEncodingAESKey(opts.key);
  const query = parseCallbackQuery(url);
  const missing = (['msg_signature', 'timestamp', 'nonce', 'echostr'] as const).filter((name) => !query.params.get(name));
  if (missing.length > 0) {
    const alias =
      missing.includes('msg_signature') && query.params.has('signature') ? " (found 'signature': WeCom sends 'msg_signature')" : '';
    throw new WecomCryptoError('missing_field', `the URL has no ${missing.join(', ')}${alias}`, {
      hint: 'paste the whole GET URL WeCom called, including everything after "?", in single quotes',
    });
  }
  const [msgSignature, timestamp, nonce, echostr] = [query.msgSignature, query.timestamp, query.nonce, query.echostr].map(
    (v) => v ?? '',
  ) as [string, string, string, string];
  const expected = computeSignature(opts.token, timestamp, nonce, echostr);
  if (!signaturesEqual(expected, msgSignature)) {
    // Signatures are not secret (they travel in the URL), so showing both helps pinpoint the cause.
    throw new WecomCryptoError(
      'signature_mismatch',
      `signature mismatch: the URL has msg_signature=${msgSignature}, the token gives ${expected}; ${diagnose(opts.token, msgSignature, timestamp, nonce, echostr, target)}`,
    );
  }
  try {
    return decrypt(key, echostr, { receiveId: opts.receiveId }).message;
  } catch (err) {
    if (!(err instanceof WecomCryptoError)) throw err;
    const hint = err.code === 'receive_id_mismatch' ? target.receiveIdHint : err.hint;
    // The message already carries "(WeCom -400xx)"; strip it so the new one is not doubled.
    const reason = err.message.replace(/ \(WeCom -\d+\)$/, '');
    throw new WecomCryptoError(err.code, `signature OK, but ${reason}`, { hint, cause: err });
  }
}

/** Tries the usual mistakes and names the one that explains a signature mismatch. */
function diagnose(token: string, got: string, timestamp: string, nonce: string, echostr: string, target: VerifyUrlTarget): string {
  const matches = (t: string, e: string) => computeSignature(t, timestamp, nonce, e) === got;
  if (echostr.includes(' ') && matches(token, echostr.replaceAll(' ', '+'))) {
    return "echostr had '+' turned into spaces by form decoding: decode the query with decodeURIComponent, not as a form";
  }
  if (echostr.includes('%')) {
    try {
      if (matches(token, decodeURIComponent(echostr))) return 'echostr was percent-encoded twice: decode it once more';
    } catch {
      // not decodable: fall through to the generic answer
    }
  }
  if (token.trim() !== token && matches(token.trim(), echostr)) return 'the token has leading or trailing whitespace';
  return `the Token differs from ${target.settings}, or the URL was altered after WeCom signed it`;
}

/** `--token`, from `env` when not given (the corp twin reads WECOM_CORP_TOKEN). */
export function tokenOption(env = 'WECOM_TOKEN', of = 'the robot'): Option {
  return new Option('--token <token>', `the Token of ${of}`).env(env).makeOptionMandatory();
}

/** `--key`, from `env` when not given. */
export function keyOption(env = 'WECOM_ENCODING_AES_KEY'): Option {
  return new Option('--key <encodingAESKey>', 'the 43-character EncodingAESKey').env(env).makeOptionMandatory();
}

/** `-` reads stdin; anything else is the value itself. */
export async function readArgument(value: string): Promise<string> {
  return value === '-' ? readStdin() : value;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new WecombotError('cli_stdin_tty', 'argument "-" reads stdin, but stdin is a terminal', {
      hint: "pipe the value in, e.g. echo '<value>' | wecombot crypto …",
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo` and here-strings add one newline that is not part of the message. */
function dropNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
