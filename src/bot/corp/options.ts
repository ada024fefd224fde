/**
 * The `corp` option of `createBot`: a self-built app (自建应用) whose callbacks carry the
 * customer-contact events, and, with its Secret, the corp API client handlers get as `ctx.corp`.
 */
import { checkCorpId, checkSecret } from '../../corp/env.js';
import { WecombotError } from '../../errors.js';
import { BotConfigError } from '../errors.js';
import type { RobotSecrets } from '../options.js';

/** The app's 接收消息 → 设置API接收 values, its corpid and (for `ctx.corp`) its Secret. */
export interface CorpAppOptions extends RobotSecrets {
  /** 企业ID: the receiveid of the app's callbacks (WECOM_CORP_ID). */
  corpId: string;
  /** The callback Token (WECOM_CORP_TOKEN). */
  token: string;
  /** The callback EncodingAESKey (WECOM_CORP_ENCODING_AES_KEY). */
  encodingAesKey: string;
  /** The app's Secret (WECOM_CORP_SECRET): without it events are received, but `ctx.corp` is refused. */
  secret?: string;
  /** The corp API origin; default https://qyapi.weixin.qq.com (a fake's URL in tests). */
  baseUrl?: string;
  /**
   * Link each new customer (customer:add) to one identity: staff userid and external_userid,
   * in the store's identity tables (see src/identity/). Default false.
   */
  identity?: boolean;
}

/** The checked options. */
export type ResolvedCorpAppOptions = CorpAppOptions & { identity: boolean };

/**
 * Checks the corp options; errors name the field. `checkRobot` is the robots' Token and
 * EncodingAESKey check, so both are refused the same way; `ephemeralStore` (a FaaS instance
 * without a database) refuses `identity`.
 */
export function resolveCorpAppOptions(
  o: CorpAppOptions | undefined,
  checkRobot: (name: string, s: RobotSecrets) => RobotSecrets | undefined,
  ephemeralStore = false,
): ResolvedCorpAppOptions | undefined {
  if (o === undefined) return undefined;
  if (o.identity && ephemeralStore) {
    // As for modules that keep state: better refuse to start than lose identities between invocations.
    throw new BotConfigError('corp.identity keeps customer identities, but this function has no shared store', {
      hint: 'set WECOMBOT_DATABASE_URL (PostgreSQL): an instance-local store forgets every identity when the instance goes',
    });
  }
  asBotConfigError(() => checkCorpId(o.corpId ?? '', 'corp.corpId'));
  checkRobot('corp', o);
  if (o.secret !== undefined) asBotConfigError(() => checkSecret(o.secret ?? '', 'corp.secret'));
  if (o.baseUrl !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(o.baseUrl)) {
    throw new BotConfigError('corp.baseUrl must be an origin like https://qyapi.weixin.qq.com', {
      hint: "leave it out for WeCom, or give a fake's http://127.0.0.1:PORT",
    });
  }
  return { ...o, identity: o.identity === true };
}

/** The corp checks throw CorpConfigError; createBot's option errors are BotConfigErrors. */
function asBotConfigError(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof WecombotError)) throw err;
    throw new BotConfigError(err.message, { hint: err.hint, cause: err });
  }
}
