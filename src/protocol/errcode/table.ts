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
  40006: {
    code: 'wecom_invalid_file_size',
    retryable: 'no',
    hint: 'the uploaded file must be larger than 5 bytes (file ≤ 20 MB, voice ≤ 2 MB)',
  },
  40007: {
    code: 'wecom_invalid_media_id',
    retryable: 'no',
    hint: 'the media_id is unknown or expired (3 days) or was uploaded by another robot; upload the file again with this robot',
  },
  40008: {
    code: 'wecom_invalid_message_type',
    retryable: 'no',
    hint: 'msgtype is missing or not one of text, markdown, markdown_v2, image, news, file, voice, template_card',
  },
  40029: {
    code: 'wecom_invalid_code',
    retryable: 'no',
    hint: 'the code of a GetChatInfoUrl (5 minutes) or an AI bot response_url (1 hour) works once: it was used already or expired',
  },
  40058: {
    code: 'wecom_invalid_parameter',
    retryable: 'no',
    hint: 'a field is too long or malformed (errmsg names it); check it against the limits, e.g. split long content with splitMessage',
  },
  42044: { code: 'wecom_card_image_missing', retryable: 'no', hint: 'a news_notice template card needs card_image.url' },
  44001: {
    code: 'wecom_empty_media',
    retryable: 'no',
    hint: 'the uploaded media is empty; send the file bytes in the multipart part named "media"',
  },
  44004: { code: 'wecom_empty_content', retryable: 'no', hint: 'the message content is empty; set text.content or markdown.content' },
  45001: { code: 'wecom_media_too_large', retryable: 'no', hint: 'the upload is too large: file ≤ 20 MB, voice ≤ 2 MB, image ≤ 2 MB' },
  45002: { code: 'wecom_content_too_large', retryable: 'no', hint: 'the message is too large; shorten it or split it with splitMessage' },
  45007: { code: 'wecom_voice_too_long', retryable: 'no', hint: 'a voice message may play at most 60 seconds' },
  45008: { code: 'wecom_too_many_articles', retryable: 'no', hint: 'a news message takes 1 to 8 articles' },
  45009: {
    code: 'wecom_rate_limited',
    retryable: 'after-window',
    hint: 'over 20 messages per minute for this robot; wait for the window, then send (merge messages or add robots for more)',
  },
  45033: {
    code: 'wecom_too_many_concurrent',
    retryable: 'yes',
    hint: 'too many concurrent calls; retry with back-off and send one request at a time per robot',
  },
  93000: {
    code: 'wecom_invalid_webhook_url',
    retryable: 'no',
    hint: 'the webhook key is wrong or the robot was removed from the group; copy the webhook URL again from the robot settings',
  },
  93004: {
    code: 'wecom_robot_disabled',
    retryable: 'no',
    hint: 'the robot is disabled; an admin must re-enable it in the group robot settings',
  },
  93005: {
    code: 'wecom_single_chat_not_allowed',
    retryable: 'no',
    hint: 'this robot may not send this single-chat message (beta: only up to 3 after the user wrote)',
  },
  93008: {
    code: 'wecom_robot_not_in_group',
    retryable: 'no',
    hint: 'the robot is no longer in the group; add it back or use the webhook of a robot that is',
  },
  301017: {
    code: 'wecom_voice_not_amr',
    retryable: 'no',
    hint: 'voice uploads must be AMR; convert the audio (e.g. ffmpeg -ar 8000 -ac 1 out.amr)',
  },
  // ── corp API (corp notes wecom-corp-api.md §1, §6–§11; meanings from the official errcode page 90313 as
  // generated into xen0n/go-workwx errcodes/mod.go). 40014/42001/40001 are 'no': a plain retry fails
  // again; the corp client invalidates the token and retries once by itself.
  40001: {
    code: 'wecom_invalid_credential',
    retryable: 'no',
    hint: "WeCom refused the corpid/secret pair: check WECOM_CORP_SECRET against the app's Secret (应用管理 → the self-built app → Secret; it changes when reset) and that the app is enabled",
  },
  40003: {
    code: 'wecom_invalid_userid',
    retryable: 'no',
    hint: 'a staff userid is unknown, malformed, or of someone who left; use the userid from the address book (通讯录), not the name',
  },
  40013: {
    code: 'wecom_invalid_corp_id',
    retryable: 'no',
    hint: 'check WECOM_CORP_ID: the 企业ID from 我的企业 → 企业信息 (starts with ww)',
  },
  40014: {
    code: 'wecom_invalid_access_token',
    retryable: 'no',
    hint: 'the access_token is not valid; the corp client refreshes it once by itself, so seeing this means the fresh one failed too: check that nothing else edits the cached token',
  },
  40068: {
    code: 'wecom_invalid_tag_id',
    retryable: 'no',
    hint: 'a tag or tag-group id is unknown (deleted, or of another corp); list the tags again with get_corp_tag_list',
  },
  40071: {
    code: 'wecom_tag_name_exists',
    retryable: 'no',
    hint: 'a tag of this name exists in the group already (or a group of this name); pick another name or reuse the existing tag',
  },
  40091: {
    code: 'wecom_invalid_secret',
    retryable: 'no',
    hint: "check WECOM_CORP_SECRET: it is not this corp's app secret (copied from another corp or app?)",
  },
  40096: {
    code: 'wecom_invalid_external_userid',
    retryable: 'no',
    hint: "an external_userid is unknown, of the wrong kind, or its staff member is outside the app's visible range (可见范围)",
  },
  40099: {
    code: 'wecom_external_contact_limit',
    retryable: 'no',
    hint: 'the external-contact count is at its limit; an admin must raise it or remove contacts',
  },
  40126: {
    code: 'wecom_corp_tag_limit',
    retryable: 'no',
    hint: 'the corp has 3000 corp tags (corp and rule-group tags together); delete unused ones first',
  },
  41001: {
    code: 'wecom_access_token_missing',
    retryable: 'no',
    hint: 'the request carried no access_token query parameter; it goes in the URL, never the body',
  },
  41048: {
    code: 'wecom_no_recipients',
    retryable: 'no',
    hint: 'the mass message has no customer to go to: check external_userid, chat_id_list, tag_filter and sender',
  },
  41049: {
    code: 'wecom_welcome_code_missing',
    retryable: 'no',
    hint: 'send_welcome_msg needs the WelcomeCode of the add_external_contact callback',
  },
  41050: {
    code: 'wecom_invalid_welcome_code',
    retryable: 'no',
    hint: 'the WelcomeCode is unknown or expired: it lives 20 seconds from the callback, so send the welcome at once, never behind a queue',
  },
  41051: {
    code: 'wecom_welcome_already_delivered',
    retryable: 'no',
    hint: 'a welcome for this WelcomeCode was delivered already (or the customer and staff started chatting); nothing more to do, never retry',
  },
  41055: {
    code: 'wecom_group_welcome_template_limit',
    retryable: 'no',
    hint: 'the corp has 100 group-welcome templates (入群欢迎语素材); delete unused ones first',
  },
  41058: {
    code: 'wecom_group_welcome_template_not_owned',
    retryable: 'no',
    hint: 'an app may edit or delete only the group-welcome templates it created; use the app that created this one',
  },
  41063: {
    code: 'wecom_mass_message_dispatching',
    retryable: 'yes',
    hint: 'the mass message is still being dispatched; ask for its results a little later',
  },
  41064: { code: 'wecom_too_many_attachments', retryable: 'no', hint: 'a welcome or mass message takes at most 9 attachments' },
  41065: {
    code: 'wecom_invalid_attachment_type',
    retryable: 'no',
    hint: 'an attachment msgtype must be image, link, miniprogram, video or file, with the object of that name',
  },
  41080: { code: 'wecom_attachment_too_large', retryable: 'no', hint: 'an attachment file is too large; upload a smaller one' },
  41081: {
    code: 'wecom_image_resolution_too_large',
    retryable: 'no',
    hint: 'an attachment image has too many pixels; scale it down and upload it again',
  },
  41082: { code: 'wecom_video_too_long', retryable: 'no', hint: 'an attachment video is too long; cut it and upload it again' },
  41088: { code: 'wecom_attachments_empty', retryable: 'no', hint: 'the attachment list is empty; leave it out or add an attachment' },
  41096: {
    code: 'wecom_welcome_in_progress',
    retryable: 'yes',
    hint: 'another app is sending the welcome of this WelcomeCode; it is not delivered yet, so a retry inside the 20-second window may still send it',
  },
  42001: {
    code: 'wecom_access_token_expired',
    retryable: 'no',
    hint: 'the access_token expired; the corp client refreshes it once by itself, so seeing this means the fresh one failed too',
  },
  48001: {
    code: 'wecom_api_not_authorized',
    retryable: 'no',
    hint: 'this API is not authorised for the corp; check the corp edition and the app type',
  },
  48002: {
    code: 'wecom_api_not_permitted',
    retryable: 'no',
    hint: 'the app may not call the customer-contact API: in the admin console open 客户联系 → API → 可调用接口的应用 and add this self-built app',
  },
  60011: {
    code: 'wecom_no_privilege',
    retryable: 'no',
    hint: "the member, department or tag is outside the app's visible range (可见范围), or the tag was not created by this app",
  },
  60020: {
    code: 'wecom_untrusted_ip',
    retryable: 'no',
    hint: "the calling IP is not among the app's trusted IPs (应用管理 → the app → 企业可信IP; takes about a minute). Serverless functions leave through changing IPs: give the function a fixed egress (a NAT gateway with an EIP, e.g. SCF in a VPC with NAT) and list that IP; the errmsg's 'from ip' shows the one WeCom saw",
  },
  81017: {
    code: 'wecom_too_many_items',
    retryable: 'no',
    hint: 'too many items at once: groupchat/list needs owner_filter when the visible range has over 1000 people',
  },
  84061: {
    code: 'wecom_no_external_contact_relation',
    retryable: 'no',
    hint: 'this staff member and customer have no relationship (the staff deleted the customer, or a no-verification chat never became a friendship)',
  },
  84074: {
    code: 'wecom_no_external_contact_permission',
    retryable: 'no',
    hint: 'the app has no external-contact permission; enable 客户联系 for it in the admin console',
  },
  301002: {
    code: 'wecom_app_mismatch',
    retryable: 'no',
    hint: "the access_token belongs to another app than the body's agentid; use that app's secret",
  },
};

/**
 * Hints for the corp API where an errcode shared with the webhook means something else there:
 * the webhook hints speak of robots, a media_id per robot and 20 messages a minute.
 * Same code and retry class; only the hint differs.
 */
const CORP_HINTS: Record<number, string> = {
  [-1]: 'WeCom is busy; the corp client retries with back-off (at most 3 times), except where a second call could send twice',
  40007: 'the media_id is unknown or expired (temporary media lives 3 days); upload it again with media/upload',
  40058: 'a field is missing, too long or malformed (errmsg names it); check it against the limits in docs/en/corp-api.md',
  44004: 'the text content is empty; set text.content or leave text out',
  45002: 'the content is too large; shorten it (text ≤ 4000 bytes for welcomes and mass messages, 3000 for group welcomes)',
  45009:
    'over the API frequency limit (per corp and API 10 000/min and 150 000/h; repeated wrong secrets ban the IP for an hour; debug=1 allows 5/min): back off until the window resets, never hot-loop',
  45033: 'too many concurrent calls of this API (the customer-contact APIs allow about 5 at a time); lower the concurrency',
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

/**
 * What an errcode means for a corp API call: the same entry as {@link lookupErrcode}, with the
 * corp meaning of the hint where it differs from the webhook's (e.g. 45009).
 *
 * @example lookupCorpErrcode(60020).code === 'wecom_untrusted_ip'
 */
export function lookupCorpErrcode(errcode: number): ErrcodeInfo {
  const info = lookupErrcode(errcode);
  const hint = Object.prototype.hasOwnProperty.call(CORP_HINTS, errcode) ? CORP_HINTS[errcode] : undefined;
  return hint ? { ...info, hint } : info;
}
