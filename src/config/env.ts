/**
 * Secrets and service URLs from the environment, checked by hand (no zod: this runs in every
 * FaaS cold start). Errors name the variable, never its value.
 */
import { BotConfigError } from '../bot/errors.js';
import type { CorpAppOptions } from '../bot/corp/options.js';
import type { RobotSecrets } from '../bot/options.js';
import { CORP_ENV, checkCorpId, checkSecret } from '../corp/env.js';
import { WecombotError } from '../errors.js';

export const ENV = {
  token: 'WECOM_TOKEN',
  aesKey: 'WECOM_ENCODING_AES_KEY',
  aibotToken: 'WECOM_AIBOT_TOKEN',
  aibotAesKey: 'WECOM_AIBOT_ENCODING_AES_KEY',
  webhookUrl: 'WECOM_WEBHOOK_URL',
  databaseUrl: 'WECOMBOT_DATABASE_URL',
  redisUrl: 'WECOMBOT_REDIS_URL',
  // The corp app's names live with the corp client (src/corp/env.ts), which reads them too.
  corpId: CORP_ENV.corpId,
  corpToken: CORP_ENV.token,
  corpAesKey: CORP_ENV.encodingAesKey,
  corpSecret: CORP_ENV.secret,
  corpApiBase: CORP_ENV.apiBase,
} as const;

export interface EnvSettings {
  group: RobotSecrets | undefined;
  aibot: RobotSecrets | undefined;
  /** The corp app whose callbacks the bot answers (and whose API `ctx.corp` calls, with its Secret). */
  corp: CorpAppOptions | undefined;
  webhookUrl: string | undefined;
  /** True when a shared store (database or Redis) is configured. */
  sharedStore: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function pair(env: Env, tokenVar: string, keyVar: string): RobotSecrets | undefined {
  const token = value(env, tokenVar);
  const key = value(env, keyVar);
  if (!token && !key) return undefined;
  if (!token || !key) {
    throw new BotConfigError(`${token ? keyVar : tokenVar} is not set but ${token ? tokenVar : keyVar} is`, {
      hint: `set both ${tokenVar} and ${keyVar} from the robot's 接收消息配置`,
    });
  }
  if (/\s/.test(token))
    throw new BotConfigError(`${tokenVar} contains whitespace`, { hint: 'copy the Token exactly, without quotes or spaces' });
  if (!/^[A-Za-z0-9]{43}$/.test(key)) {
    throw new BotConfigError(`${keyVar} must be 43 letters and digits (it has ${key.length} characters)`, {
      hint: "copy the EncodingAESKey from the robot's 接收消息配置, without quotes or a trailing '='",
    });
  }
  return { token, encodingAesKey: key };
}

/** Reads and checks the wecombot environment variables. */
export function readEnv(env: Env = process.env): EnvSettings {
  const webhookUrl = value(env, ENV.webhookUrl);
  if (webhookUrl) {
    let ok = false;
    try {
      const u = new URL(webhookUrl);
      ok = /^https?:$/.test(u.protocol) && Boolean(u.searchParams.get('key'));
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new BotConfigError(`${ENV.webhookUrl} is not a webhook URL with a key`, {
        hint: 'expected https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
      });
    }
  }
  return {
    group: pair(env, ENV.token, ENV.aesKey),
    aibot: pair(env, ENV.aibotToken, ENV.aibotAesKey),
    corp: corpApp(env),
    webhookUrl,
    sharedStore: Boolean(value(env, ENV.databaseUrl) || value(env, ENV.redisUrl)),
  };
}

/**
 * The corp app: WECOM_CORP_ID with the callback pair WECOM_CORP_TOKEN and
 * WECOM_CORP_ENCODING_AES_KEY, and optionally WECOM_CORP_SECRET (for `ctx.corp`). The id and
 * Secret alone configure only the corp CLI (`wecombot corp`), so the bot has no corp app then.
 */
function corpApp(env: Env): CorpAppOptions | undefined {
  const callback = pair(env, ENV.corpToken, ENV.corpAesKey);
  const corpId = value(env, ENV.corpId);
  const secret = value(env, ENV.corpSecret);
  const baseUrl = value(env, ENV.corpApiBase);
  if (!callback) return undefined;
  if (!corpId) {
    throw new BotConfigError(`${ENV.corpId} is not set but ${ENV.corpToken} is`, {
      hint: `the corp app's callbacks are encrypted for its corpid: set ${ENV.corpId} (我的企业 → 企业信息 → 企业ID)`,
    });
  }
  named(() => checkCorpId(corpId, ENV.corpId));
  if (secret) named(() => checkSecret(secret, ENV.corpSecret));
  return { corpId, ...callback, ...(secret && { secret }), ...(baseUrl && { baseUrl }) };
}

/** The corp checks name the variable; readEnv's errors are BotConfigErrors. */
function named(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof WecombotError)) throw err;
    throw new BotConfigError(err.message, { hint: err.hint, cause: err });
  }
}
