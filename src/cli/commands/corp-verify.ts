import { Option, type Command } from 'commander';
import { CORP_ENV } from '../../corp/env.js';
import { keyOption, print, readArgument, tokenOption, verifyCallbackUrl, type VerifyUrlTarget } from './crypto.js';

const CORP_APP: VerifyUrlTarget = {
  settings: "the app's 接收消息 → 设置API接收",
  receiveIdHint: `a corp app's callbacks carry its corpid as the receiveid: check --corp-id (${CORP_ENV.corpId}, 我的企业 → 企业信息 → 企业ID); a message carrying "" was encrypted with a robot's settings, not the app's`,
};

/**
 * `wecombot corp verify-url`: the corp-callback twin of `crypto verify-url`, with the same
 * checks and diagnosis, the receiveid being the corpid and the Token and EncodingAESKey those of
 * the app's API receive settings (WECOM_CORP_TOKEN, WECOM_CORP_ENCODING_AES_KEY).
 *
 * @example wecombot corp verify-url --corp-id ww… 'https://bot.example.com/wecom/corp?msg_signature=…&timestamp=…&nonce=…&echostr=…'
 */
export function registerCorpVerifyCommand(program: Command): void {
  // `wecombot corp` is the corp API command; verify-url joins it (or starts it when absent).
  const corp = program.commands.find((c) => c.name() === 'corp') ?? program.command('corp').description('corp app tools');
  corp
    .command('verify-url')
    .description("check a corp app's URL-verification callback and print the echostr plaintext, or say exactly what does not match")
    .addOption(
      new Option('--corp-id <corpid>', "the corpid: the receiveid of the app's callbacks").env(CORP_ENV.corpId).makeOptionMandatory(),
    )
    .addOption(tokenOption(CORP_ENV.token, "the app's API receive settings"))
    .addOption(keyOption(CORP_ENV.encodingAesKey))
    .argument('<url>', 'the full callback URL with msg_signature, timestamp, nonce and echostr (quote it), or - for stdin')
    .action(async (value: string, opts: { corpId: string; token: string; key: string }) => {
      print(verifyCallbackUrl(await readArgument(value), { token: opts.token, key: opts.key, receiveId: opts.corpId }, CORP_APP));
    });
}
