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
    .argument('<url>', "the full callback URL with msg_signature, timestamp, nonce and echostr (quote it), or - for stdin")
    .action(async (value: string, opts: { token: string; key: string; receiveId: string }) => {
      print(verifyUrl(await readArgument(value), opts));
    });
}

/** The checks of `verify-url`, in the order WeCom's own SDKs run them, each with its own message. */
function verifyUrl(url: string, opts: { token: string; key: string; receiveId: string }): string {
  const key = parseEncodingAESKey(opts.key);
  const query = parseCallbackQuery(url);
  const missing = (['msg_signature', 'timestamp', 'nonce', 'echostr'] as const).filter((name) => !query.params.get(name));
  if (missing.length > 0) {
    const alias = missing.includes('msg_signature') && query.params.has('signature') ? " (found 'signature': WeCom sends 'msg_signature')" : '';
    throw new WecomCryptoError('missing_field', `the URL has no ${missing.join(', ')}${alias}`, {
      hint: 'paste the whole GET URL WeCom called, including everything after "?", in single quotes',
    });
  }
  const [msgSignature, timestamp, nonce, echostr] = [query.msgSignature, query.timestamp, query.nonce, query.echostr].map((v) => v ?? '') as [
    string,
    string,
    string,
    string,
  ];
  const expected = computeSignature(opts.token, timestamp, nonce, echostr);
  if (!signaturesEqual(expected, msgSignature)) {
    // Signatures are not secret (they travel in the URL), so showing both helps pinpoint the cause.
    throw new WecomCryptoError(
      'signature_mismatch',
      `signature mismatch: the URL has msg_signature=${msgSignature}, the token gives ${expected}; ${diagnose(opts.token, msgSignature, timestamp, nonce, echostr)}`,
    );
  }
  try {
    return decrypt(key, echostr, { receiveId: opts.receiveId }).message;
  } catch (err) {
    if (!(err instanceof WecomCryptoError)) throw err;
    const hint =
      err.code === 'receive_id_mismatch'
        ? `group robots and internal AI bots use --receive-id '' (the default); app callbacks use the CorpID`
        : err.hint;
    // The message already carries "(WeCom -400xx)"; strip it so the new one is not doubled.
    const reason = err.message.replace(/ \(WeCom -\d+\)$/, '');
    throw new WecomCryptoError(err.code, `signature OK, but ${reason}`, { hint, cause: err });
  }
}

/** Tries the usual mistakes and names the one that explains a signature mismatch. */
function diagnose(token: string, got: string, timestamp: string, nonce: string, echostr: string): string {
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
  return "the Token differs from the robot's 接收消息配置, or the URL was altered after WeCom signed it";
}

function tokenOption(): Option {
  return new Option('--token <token>', 'the Token of the robot').env('WECOM_TOKEN').makeOptionMandatory();
}

function keyOption(): Option {
  return new Option('--key <encodingAESKey>', 'the 43-character EncodingAESKey')
    .env('WECOM_ENCODING_AES_KEY')
    .makeOptionMandatory();
}

/** `-` reads stdin; anything else is the value itself. */
async function readArgument(value: string): Promise<string> {
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

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
