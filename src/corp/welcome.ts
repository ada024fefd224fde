import type { CorpApi } from './api.js';
import { checkAttachments, checkTextPart, type Attachment } from './attachments.js';
import { requireText } from './check.js';
import { CorpRequestError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/**
 * A welcome for a new customer (send_welcome_msg, corp notes §6): text, attachments, or both;
 * they arrive as separate messages, private to the customer.
 */
export interface WelcomeMessage {
  /** The WelcomeCode of the add_external_contact (or add_half_external_contact) callback. */
  welcome_code: string;
  /** ≤ 4000 bytes. */
  text?: { content: string };
  /** ≤ 9. */
  attachments?: Attachment[];
}

export interface WelcomeSendOptions {
  /**
   * When the callback with the WelcomeCode arrived (epoch ms). No retry starts after the code's
   * 20 seconds are over: it could only answer 41050.
   */
  receivedAt?: number;
}

export interface WelcomeApi {
  /**
   * Sends the welcome. Call it at once when the callback arrives (the code lives 20 seconds and
   * works once), never behind a queue.
   *
   * It is at most once: a failure after the request may have reached WeCom (a timeout, a
   * reset, a 5xx, -1) is not retried, because a second welcome is worse than none; such errors
   * are thrown as they are (a `CorpNetworkError` has `maybeSent`). Retried: a connection that
   * was never made, a refused token (refreshed once), 45033, and 41096 (another app is sending
   * the welcome of this code and ours was not sent, so it may still go out inside the window).
   * 41051 (already delivered) is final: the error's code is `wecom_welcome_already_delivered`.
   *
   * @example
   * await corp.welcome.send(
   *   { welcome_code: event.welcomeCode, text: { content: '你好，我是你的专属顾问' },
   *     attachments: [{ msgtype: 'link', link: { title: '新人礼包', url: 'https://example.com/gift' } }] },
   *   { receivedAt: event.receivedAt },
   * );
   */
  send(message: WelcomeMessage, options?: WelcomeSendOptions): Promise<void>;
}

/** "The welcome of this code is being sent by another app": ours was not sent (92599 rule 5). */
const WELCOME_NOT_DONE: ReadonlySet<number> = new Set([41096]);

export function checkWelcome(m: WelcomeMessage): void {
  requireText(m.welcome_code, 'welcome_code');
  if (m.text === undefined && m.attachments === undefined)
    throw new CorpRequestError('text', 'or attachments is required: a welcome cannot be empty');
  checkTextPart(m.text, CORP_LIMITS.welcomeTextBytes);
  checkAttachments(m.attachments);
}

export function welcomeApi(api: CorpApi): WelcomeApi {
  return {
    async send(message, options = {}) {
      checkWelcome(message);
      await api.call({
        api: 'externalcontact/send_welcome_msg',
        method: 'POST',
        json: message,
        delivery: 'at-most-once',
        notDone: WELCOME_NOT_DONE,
        ...(options.receivedAt !== undefined && { retryUntil: options.receivedAt + CORP_LIMITS.welcomeCodeLifetimeMs }),
      });
    },
  };
}
