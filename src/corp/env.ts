import { CorpConfigError } from './config-error.js';

/**
 * The environment variables of a corp (self-built) app, in one place: the corp API client reads
 * the id and secret, the corp callback reads the token and EncodingAESKey (from the app's
 * 接收消息 → 设置API接收), and the CLI honours the API base.
 */
export const CORP_ENV = {
  /** 企业ID (我的企业 → 企业信息). */
  corpId: 'WECOM_CORP_ID',
  /** The self-built app's Secret (应用管理 → the app → Secret). */
  secret: 'WECOM_CORP_SECRET',
  /** The callback Token of the app's API receive settings. */
  token: 'WECOM_CORP_TOKEN',
  /** The callback EncodingAESKey of the app's API receive settings. */
  encodingAesKey: 'WECOM_CORP_ENCODING_AES_KEY',
  /** Where the corp API lives (a fake or a gateway); default https://qyapi.weixin.qq.com. */
  apiBase: 'WECOM_CORP_API_BASE',
} as const;

/** The credentials the corp API client needs. */
export interface CorpCredentials {
  corpId: string;
  secret: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const value = (env: Env, name: string) => env[name]?.trim() || undefined;

/**
 * Reads WECOM_CORP_ID and WECOM_CORP_SECRET. Undefined when neither is set (no corp app is
 * configured); an error naming the variable (never its value) when only one is, or one is
 * malformed.
 *
 * @example
 * const creds = readCorpEnv(process.env);
 * if (creds) corp = createCorpClient({ ...creds, store });
 */
export function readCorpEnv(env: Env = process.env): CorpCredentials | undefined {
  const corpId = value(env, CORP_ENV.corpId);
  const secret = value(env, CORP_ENV.secret);
  if (!corpId && !secret) return undefined;
  if (!corpId || !secret) {
    const [missing, present] = corpId ? [CORP_ENV.secret, CORP_ENV.corpId] : [CORP_ENV.corpId, CORP_ENV.secret];
    throw new CorpConfigError(`${missing} is not set but ${present} is`, {
      hint: `set both ${CORP_ENV.corpId} (我的企业 → 企业信息 → 企业ID) and ${CORP_ENV.secret} (应用管理 → the self-built app → Secret)`,
    });
  }
  checkCorpId(corpId, CORP_ENV.corpId);
  checkSecret(secret, CORP_ENV.secret);
  return { corpId, secret };
}

/** Refuses a corpid that cannot be one; `name` is what the message calls it. */
export function checkCorpId(corpId: string, name = 'corpId'): void {
  if (!/^[A-Za-z0-9]{1,64}$/.test(corpId)) {
    throw new CorpConfigError(`${name} must be letters and digits (it has ${corpId.length} characters)`, {
      hint: 'copy the 企业ID from 我的企业 → 企业信息 (it starts with ww), without quotes or spaces',
    });
  }
}

/** Refuses a secret that cannot be one, without ever quoting it. */
export function checkSecret(secret: string, name = 'secret'): void {
  if (secret.length === 0 || /[\s"'&#?=]/.test(secret)) {
    throw new CorpConfigError(`${name} is empty or has spaces, quotes or URL characters`, {
      hint: "copy the app's Secret exactly (应用管理 → the app → Secret → 查看, sent to the admin's WeCom)",
    });
  }
}
