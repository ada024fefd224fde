/**
 * Secrets and service URLs from the environment, checked by hand (no zod: this runs in every
 * FaaS cold start). Errors name the variable, never its value.
 */
import { BotConfigError } from '../bot/errors.js';
import type { RobotSecrets } from '../bot/options.js';

export const ENV = {
  token: 'WECOM_TOKEN',
  aesKey: 'WECOM_ENCODING_AES_KEY',
  aibotToken: 'WECOM_AIBOT_TOKEN',
  aibotAesKey: 'WECOM_AIBOT_ENCODING_AES_KEY',
  webhookUrl: 'WECOM_WEBHOOK_URL',
  databaseUrl: 'WECOMBOT_DATABASE_URL',
  redisUrl: 'WECOMBOT_REDIS_URL',
} as const;

export interface EnvSettings {
  group: RobotSecrets | undefined;
  aibot: RobotSecrets | undefined;
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
  if (/\s/.test(token)) throw new BotConfigError(`${tokenVar} contains whitespace`, { hint: 'copy the Token exactly, without quotes or spaces' });
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
    webhookUrl,
    sharedStore: Boolean(value(env, ENV.databaseUrl) || value(env, ENV.redisUrl)),
  };
}
