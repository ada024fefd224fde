import type { ErrorCode } from '../../error-codes.js';

/**
 * Every errcode a webhook client meets (protocol notes §1.11, §1.6, §1.7), with a stable code,
 * whether a retry can help, and a one-line fix for the operator. Branch on errcode, never on
 * errmsg (WeCom rewords errmsg).
 */

/** 'no': the same request fails again; 'yes': retry with back-off; 'after-window': wait for the per-minute window. */
export type Retryable = 'no' | 'yes' | 'after-window';

/** What an errcode means for the operator. */
export interface ErrcodeInfo {
  errcode: number;
  /** Stable, program-facing name, e.g. `wecom_rate_limited` (registered in {@link ErrorCode}). */
  code: ErrorCode;
  retryable: Retryable;
  /** One line telling an operator how to fix it. */
  hint: string;
}

type Entry = Omit<ErrcodeInfo, 'errcode'>;

const TABLE: Record<number, Entry> = {
  [-1]: { code: 'wecom_system_busy', retryable: 'yes', hint: 'WeCom is busy; retry after a short back-off (at most 3 times)' },
  40004: { code: 'wecom_invalid_media_type', retryable: 'no', hint: 'upload type must be file or voice, and a voice must be an AMR file' },
  40006: { code: 'wecom_invalid_file_size', retryable: 'no', hint: 'the uploaded file must be larger than 5 bytes (file ≤ 20 MB, voice ≤ 2 MB)' },
  40007: { code: 'wecom_invalid_media_id', retryable: 'no', hint: 'the media_id is unknown or expired (3 days) or was uploaded by another robot; upload the file again with this robot' },
  40008: { code: 'wecom_invalid_message_type', retryable: 'no', hint: 'msgtype is missing or not one of text, markdown, markdown_v2, image, news, file, voice, template_card' },
  40029: { code: 'wecom_invalid_code', retryable: 'no', hint: 'the code of a GetChatInfoUrl (5 minutes) or an AI bot response_url (1 hour) works once: it was used already or expired' },
  40058: { code: 'wecom_invalid_parameter', retryable: 'no', hint: 'a field is too long or malformed (errmsg names it); check it against the limits, e.g. split long content with splitMessage' },
  42044: { code: 'wecom_card_image_missing', retryable: 'no', hint: 'a news_notice template card needs card_image.url' },
  44001: { code: 'wecom_empty_media', retryable: 'no', hint: 'the uploaded media is empty; send the file bytes in the multipart part named "media"' },
  44004: { code: 'wecom_empty_content', retryable: 'no', hint: 'the message content is empty; set text.content or markdown.content' },
  45001: { code: 'wecom_media_too_large', retryable: 'no', hint: 'the upload is too large: file ≤ 20 MB, voice ≤ 2 MB, image ≤ 2 MB' },
  45002: { code: 'wecom_content_too_large', retryable: 'no', hint: 'the message is too large; shorten it or split it with splitMessage' },
  45007: { code: 'wecom_voice_too_long', retryable: 'no', hint: 'a voice message may play at most 60 seconds' },
  45008: { code: 'wecom_too_many_articles', retryable: 'no', hint: 'a news message takes 1 to 8 articles' },
  45009: { code: 'wecom_rate_limited', retryable: 'after-window', hint: 'over 20 messages per minute for this robot; wait for the window, then send (merge messages or add robots for more)' },
  45033: { code: 'wecom_too_many_concurrent', retryable: 'yes', hint: 'too many concurrent calls; retry with back-off and send one request at a time per robot' },
  93000: { code: 'wecom_invalid_webhook_url', retryable: 'no', hint: 'the webhook key is wrong or the robot was removed from the group; copy the webhook URL again from the robot settings' },
  93004: { code: 'wecom_robot_disabled', retryable: 'no', hint: 'the robot is disabled; an admin must re-enable it in the group robot settings' },
  93005: { code: 'wecom_single_chat_not_allowed', retryable: 'no', hint: 'this robot may not send this single-chat message (beta: only up to 3 after the user wrote)' },
  93008: { code: 'wecom_robot_not_in_group', retryable: 'no', hint: 'the robot is no longer in the group; add it back or use the webhook of a robot that is' },
  301017: { code: 'wecom_voice_not_amr', retryable: 'no', hint: 'voice uploads must be AMR; convert the audio (e.g. ffmpeg -ar 8000 -ac 1 out.amr)' },
};

/** All errcodes in the table, ascending. */
export const KNOWN_ERRCODES: readonly number[] = Object.keys(TABLE)
  .map(Number)
  .sort((a, b) => a - b);

/**
 * What an errcode means. Unknown codes get a generic entry (`wecom_unknown_errcode`, not
 * retryable; the number stays on `errcode`), so callers never need a second code path.
 *
 * @example lookupErrcode(45009).retryable === 'after-window'
 */
export function lookupErrcode(errcode: number): ErrcodeInfo {
  const entry = Object.prototype.hasOwnProperty.call(TABLE, errcode) ? TABLE[errcode] : undefined;
  if (entry) return { errcode, ...entry };
  return {
    errcode,
    code: 'wecom_unknown_errcode',
    retryable: 'no',
    hint: `look the code up at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
  };
}
