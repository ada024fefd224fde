import { createHash } from 'node:crypto';
import { WecombotError } from '../errors.js';
import { redactKey } from '../redact.js';

/** The default WeCom API origin; `WECOM_API_BASE` or the `baseUrl` option override it. */
export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';
const SEND_PATH = '/cgi-bin/webhook/send';

/**
 * Where a message goes: a full webhook URL, a bare key, or an object that may add a `chatid`
 * (a `|`-joined list of chat ids, see protocol §1.9).
 */
export type WebhookTarget = string | { webhook?: string; key?: string; chatid?: string };

/** A target resolved once: URLs to call, a stable robot id for limiter/cache keys, a safe label. */
export interface ResolvedTarget {
  /** The full webhook/send URL (contains the secret key: never log it). */
  readonly sendUrl: string;
  /** The upload_media URL of the same robot, without `type`. */
  readonly uploadUrl: string;
  /** The secret key. */
  readonly key: string;
  /** sha256(key), 16 hex chars: identifies the robot in stores and logs without revealing the key. */
  readonly robotId: string;
  /** The URL with the key redacted, for logs, errors and results. */
  readonly label: string;
  readonly chatid: string | undefined;
}

/** A target could not be understood (no key, not a URL). The message never contains the key. */
export class WebhookTargetError extends WecombotError {
  constructor(message: string) {
    super('webhook_target', message, {
      hint: 'pass the robot webhook URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…) or its key',
    });
  }
}

/** Hash used in store keys for a robot, so shared stores never hold raw webhook keys. */
export function robotIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The API base in force: explicit option, then `WECOM_API_BASE`, then the WeCom default. */
export function apiBase(explicit?: string): string {
  return (explicit ?? process.env.WECOM_API_BASE ?? DEFAULT_API_BASE).replace(/\/+$/, '');
}

/**
 * Resolves a target. A bare key is joined to `base`; a full URL keeps its own origin (it may be
 * an emulator's or a private gateway's), so only keys depend on the base URL.
 */
export function resolveTarget(target: WebhookTarget, base: string): ResolvedTarget {
  const spec = typeof target === 'string' ? (/^https?:\/\//i.test(target.trim()) ? { webhook: target } : { key: target }) : target;
  const chatid = spec.chatid === undefined || spec.chatid === '' ? undefined : spec.chatid;
  let url: URL;
  let key: string;
  if (spec.webhook) {
    try {
      url = new URL(spec.webhook.trim());
    } catch {
      throw new WebhookTargetError('the webhook is not a valid URL');
    }
    key = url.searchParams.get('key') ?? '';
    if (!key) throw new WebhookTargetError(`the webhook URL ${url.origin}${url.pathname} has no key= parameter`);
  } else if (spec.key && spec.key.trim()) {
    key = spec.key.trim();
    if (/[\s/?&#]/.test(key)) throw new WebhookTargetError('the webhook key contains characters a key cannot have');
    url = new URL(`${base}${SEND_PATH}`);
    url.searchParams.set('key', key);
  } else {
    throw new WebhookTargetError('no webhook URL or key given');
  }
  const sendUrl = url.toString();
  const upload = new URL(url.toString());
  upload.pathname = upload.pathname.replace(/\/send$/, '/upload_media');
  const label = `${url.origin}${url.pathname}?key=${redactKey(key)}`;
  return { sendUrl, uploadUrl: upload.toString(), key, robotId: robotIdOf(key), label, chatid };
}
