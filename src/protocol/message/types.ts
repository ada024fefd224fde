/**
 * Outgoing webhook messages (POST …/cgi-bin/webhook/send?key=KEY). The objects are the wire
 * JSON itself (snake_case), so a client sends `JSON.stringify(message)` unchanged.
 */
import type { TemplateCard } from './template-card-types.js';

/**
 * Beta fields of the internal robot interface (§1.9 of the protocol notes): UNCONFIRMED on the
 * public webhook. `chatid` targets chats (`|`-joined, ≤ 100 ids, or `@all_group`, `@all_blackboard`,
 * `@all`); `visible_to_user` (`|`-joined userids) and `post_id` need exactly one chat in `chatid`.
 */
export interface BetaTargeting {
  chatid?: string;
  visible_to_user?: string;
  post_id?: string;
}

/** `text`: content ≤ 2048 UTF-8 bytes; mention with userids or mobiles (`@all` allowed in both). */
export interface TextMessage extends BetaTargeting {
  msgtype: 'text';
  text: {
    content: string;
    mentioned_list?: string[];
    mentioned_mobile_list?: string[];
  };
}

/** A button of a markdown `attachments` entry (beta on push; documented for passive replies). */
export interface MarkdownAction {
  /** ≤ 64 bytes, echoed back in the click callback. */
  name: string;
  /** ≤ 128 bytes, echoed back. */
  value: string;
  /** Button label, ≤ 128 bytes. */
  text: string;
  type: 'button';
  /** Hex colour such as `2EAB49` (a leading `#` is accepted). */
  border_color?: string;
  text_color?: string;
  /** Label shown after the click, ≤ 128 bytes. */
  replace_text?: string;
}

/** A group of buttons; the click callback carries `callbackid` = this `callback_id`. */
export interface MarkdownAttachment {
  callback_id: string;
  /** 1 to 20 actions. */
  actions: MarkdownAction[];
}

/** `markdown`: content ≤ 4096 bytes; `<@userid>` inside content mentions. */
export interface MarkdownMessage extends BetaTargeting {
  msgtype: 'markdown';
  markdown: {
    content: string;
    /** Beta: render @ as short names. */
    at_short_name?: boolean;
    /** Beta: buttons. */
    attachments?: MarkdownAttachment[];
  };
}

/** `markdown_v2`: content ≤ 4096 bytes; tables, code blocks, images; no mentions, no font colours. */
export interface MarkdownV2Message extends BetaTargeting {
  msgtype: 'markdown_v2';
  markdown_v2: { content: string };
}

/** `image`: base64 of the raw JPG/PNG (≤ 2 MB) and the md5 (hex) of the raw bytes. */
export interface ImageMessage extends BetaTargeting {
  msgtype: 'image';
  image: { base64: string; md5: string };
}

/** One `news` article. */
export interface NewsArticle {
  /** ≤ 128 bytes (WeCom silently truncates beyond; wecombot refuses). */
  title: string;
  /** ≤ 512 bytes. */
  description?: string;
  url: string;
  /** JPG/PNG, best 1068×455 (first) and 150×150. Spelled picurl. */
  picurl?: string;
}

/** `news`: 1 to 8 articles. */
export interface NewsMessage extends BetaTargeting {
  msgtype: 'news';
  news: { articles: NewsArticle[] };
}

/** `file`: a media_id from upload_media (3 days, same robot only). */
export interface FileMessage extends BetaTargeting {
  msgtype: 'file';
  file: { media_id: string };
}

/** `voice`: a media_id of an uploaded AMR voice (≤ 2 MB, ≤ 60 s). */
export interface VoiceMessage extends BetaTargeting {
  msgtype: 'voice';
  voice: { media_id: string };
}

/** `template_card`: text_notice or news_notice. */
export interface TemplateCardMessage extends BetaTargeting {
  msgtype: 'template_card';
  template_card: TemplateCard;
}

/** Any message the webhook accepts. */
export type WebhookMessage =
  TextMessage | MarkdownMessage | MarkdownV2Message | ImageMessage | NewsMessage | FileMessage | VoiceMessage | TemplateCardMessage;

/** The `msgtype` values. */
export type WebhookMessageType = WebhookMessage['msgtype'];

/** Every msgtype the webhook documents. */
export const WEBHOOK_MESSAGE_TYPES: readonly WebhookMessageType[] = [
  'text',
  'markdown',
  'markdown_v2',
  'image',
  'news',
  'file',
  'voice',
  'template_card',
];
