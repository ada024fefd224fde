/**
 * The one typed union of everything WeCom posts to a callback URL, after decryption.
 *
 * Discriminate on `robot` ('group' = classic group robot, XML or JSON; 'aibot' = smart robot
 * 智能机器人, JSON; 'corp' = a corp app's customer-contact events, XML) and then on `type`. Field names are camelCase; the wire names are in the
 * comments. A `type` WeCom adds later arrives as `unknown` with its raw type, never as an error.
 */

import type { CorpCallback } from './corp-types.js';

/** Callback wire format: classic robots default to XML; `robot_callback_format=json` selects JSON. */
export type CallbackFormat = 'xml' | 'json';

/**
 * `flat-json`: the message did not come from WeCom's encrypted callback but from a gateway that
 * forwards the flat, unencrypted body (`parseFlatJsonCallback`). Such messages keep
 * `format: 'json'`, so every existing type and consumer of the union stays as it is.
 */
export type CallbackDialect = 'flat-json';

/** Who sent the message (`From`/`from`). */
export interface CallbackSender {
  /** `From/UserId` / `from.userid` */
  userId: string;
  /** `From/Name` / `from.name` (group robot only) */
  name?: string;
  /** `From/Alias` / `from.alias` (group robot only) */
  alias?: string;
  /** `from.corpid` (AI bot; absent for internal bots) */
  corpId?: string;
}

/** One part of a text+image message. */
export type MixedItem = { type: 'text'; text: string } | { type: 'image'; imageUrl: string };

// ---------------------------------------------------------------- classic group robot

/** `ChatType`/`chattype` of a classic group robot callback. */
export type GroupChatType = 'single' | 'group' | 'blackboard' | 'blackboard_reply';

/** Event types of a classic group robot (`Event/EventType` / `event.event_type`). */
export type GroupEventType = 'add_to_chat' | 'delete_from_chat' | 'enter_chat';

/** Fields every classic group robot callback carries. */
export interface GroupCallbackBase {
  robot: 'group';
  format: CallbackFormat;
  /** `MsgId`/`msgid`: de-duplicate on it (WeCom retries up to three times). Always a string. */
  msgId: string;
  /** `WebhookUrl`/`webhook_url`: this robot's push URL (contains the webhook key: a secret). */
  webhookUrl: string;
  /** `ChatId`/`chatid`: group, single chat or blackboard id. */
  chatId: string;
  /** `PostId`/`postid`: blackboard post id (blackboard replies). */
  postId?: string;
  /** `ChatType`/`chattype` */
  chatType: GroupChatType;
  /** `GetChatInfoUrl`/`get_chat_info_url`: valid 5 minutes, single use. */
  getChatInfoUrl?: string;
  /** Set only on messages read from a gateway's flat JSON (no passive reply: answer through the webhook). */
  dialect?: CallbackDialect;
  /** `botName` of a flat JSON body: the robot's name as the gateway reports it. Absent otherwise. */
  botName?: string;
}

/** A text message; in groups `text` starts with `@RobotName ` (see stripLeadingMention). */
export interface GroupTextCallback extends GroupCallbackBase {
  type: 'text';
  from: CallbackSender;
  /** `Text/Content` / `text.content` */
  text: string;
}

/** An image (single chats only). */
export interface GroupImageCallback extends GroupCallbackBase {
  type: 'image';
  from: CallbackSender;
  /** `Image/ImageUrl` / `image.image_url` */
  imageUrl: string;
}

/** Text and images in one message (`MixedMessage/MsgItem` / `mixed_message.msg_item`). */
export interface GroupMixedCallback extends GroupCallbackBase {
  type: 'mixed';
  from: CallbackSender;
  items: MixedItem[];
}

/** The robot was added to or removed from a chat, or a user opened the single chat. */
export interface GroupEventCallback extends GroupCallbackBase {
  type: 'event';
  /** Present when WeCom names who triggered the event. */
  from?: CallbackSender;
  /** `Event/EventType` / `event.event_type` */
  eventType: GroupEventType;
}

/** A button of a markdown reply with `attachments` was clicked. */
export interface GroupAttachmentCallback extends GroupCallbackBase {
  type: 'attachment';
  from: CallbackSender;
  /** `Attachment/CallbackId` / `attachment.callbackid` (no underscore on this side). */
  callbackId: string;
  /** `Attachment/Actions` / `attachment.actions` */
  actions: AttachmentAction[];
}

/** One clicked action: the name and value you set on the button. */
export interface AttachmentAction {
  name: string;
  value: string;
  /** Always `button` today. */
  type: string;
}

/** A message or event type this version does not know: log it and acknowledge. */
export interface GroupUnknownCallback {
  robot: 'group';
  format: CallbackFormat;
  type: 'unknown';
  /** Set only on messages read from a gateway's flat JSON. */
  dialect?: CallbackDialect;
  /** The raw `MsgType`/`msgtype`. */
  rawType: string;
  /** The raw event type when `rawType` is `event`. */
  rawEventType?: string;
  msgId?: string;
  chatId?: string;
  /** The parsed plaintext, for logging. */
  raw: Record<string, unknown>;
}

/** Every classic group robot callback. */
export type GroupCallback =
  GroupTextCallback | GroupImageCallback | GroupMixedCallback | GroupEventCallback | GroupAttachmentCallback | GroupUnknownCallback;

/** A group message read from a gateway's flat JSON: the same shapes, marked by `dialect`. */
export type FlatJsonCallback = GroupCallback & { format: 'json'; dialect: 'flat-json' };

// ---------------------------------------------------------------- smart robot (AI bot)

/** `chattype` of an AI bot callback. */
export type AibotChatType = 'single' | 'group';

/** Fields every AI bot callback carries. */
export interface AibotCallbackBase {
  robot: 'aibot';
  format: 'json';
  /** `msgid`: de-duplicate on it. */
  msgId: string;
  /** `aibotid` */
  aibotId: string;
  /** `chatid`: group chats only. */
  chatId?: string;
  /** `chattype` */
  chatType: AibotChatType;
  /** `from.userid`, `from.corpid` */
  from: CallbackSender;
  /** `response_url`: POST one reply within an hour (markdown, or template_card in single chats). */
  responseUrl?: string;
  /** `create_time` (seconds), sent on events. */
  createTime?: number;
}

/** What a user quoted (`quote`), typed like a message body. */
export type AibotQuote =
  | { type: 'text'; text: string }
  | { type: 'image'; imageUrl: string }
  | { type: 'mixed'; items: MixedItem[] }
  | { type: 'voice'; text: string }
  | { type: 'file'; fileUrl: string }
  | { type: 'unknown'; rawType: string };

/** Fields of user messages (not events or stream refreshes). */
export interface AibotMessageBase extends AibotCallbackBase {
  /** Present when the user quoted a message. */
  quote?: AibotQuote;
}

/** `text.content`; in groups it starts with `@RobotName `. */
export interface AibotTextCallback extends AibotMessageBase {
  type: 'text';
  text: string;
}

/** `image.url`: valid 5 minutes, the download is AES-encrypted with the callback key. */
export interface AibotImageCallback extends AibotMessageBase {
  type: 'image';
  imageUrl: string;
}

/** `mixed.msg_item[]` with `msgtype` text/image. */
export interface AibotMixedCallback extends AibotMessageBase {
  type: 'mixed';
  items: MixedItem[];
}

/** `voice.content`: WeCom already transcribed the voice to text. */
export interface AibotVoiceCallback extends AibotMessageBase {
  type: 'voice';
  text: string;
}

/** `file.url`: valid 5 minutes, AES-encrypted like images; files up to 100 MB. */
export interface AibotFileCallback extends AibotMessageBase {
  type: 'file';
  fileUrl: string;
}

/** Stream refresh (`msgtype: stream`): answer with the full stream content so far. */
export interface AibotStreamRefreshCallback extends AibotCallbackBase {
  type: 'stream';
  /** `stream.id`: the id you set in your first stream reply. */
  streamId: string;
}

/** The user opened the single chat (first time that day): answer with a welcome text or card. */
export interface AibotEnterChatCallback extends AibotCallbackBase {
  type: 'event';
  eventType: 'enter_chat';
}

/** A selection the user submitted with a card button. */
export interface AibotSelectedItem {
  /** `question_key` */
  questionKey: string;
  /** `option_ids.option_id[]` */
  optionIds: string[];
}

/** A template card button / vote / selection / menu click. Sent once; answer within 5 s. */
export interface AibotTemplateCardEventCallback extends AibotCallbackBase {
  type: 'event';
  eventType: 'template_card_event';
  /** `template_card_event.card_type` */
  cardType: string;
  /** `template_card_event.event_key`: the key of the clicked button or menu entry. */
  eventKey: string;
  /** `template_card_event.task_id` */
  taskId: string;
  /** `template_card_event.selected_items.selected_item[]` */
  selectedItems: AibotSelectedItem[];
}

/** Feedback `type`: 1 accurate, 2 inaccurate, 3 cancelled. */
export type AibotFeedbackType = 1 | 2 | 3;

/** Thumbs up/down on a reply that carried a feedback id. The reply must be empty. */
export interface AibotFeedbackEventCallback extends AibotCallbackBase {
  type: 'event';
  eventType: 'feedback_event';
  /** `feedback_event.id`: the id you set on the reply. */
  feedbackId: string;
  /** `feedback_event.type` */
  feedbackType: AibotFeedbackType;
  /** `feedback_event.content`: the user's comment (inaccurate only). */
  content?: string;
  /** `feedback_event.inaccurate_reason_list`: 1 off-topic, 2 incomplete, 3 wrong, 4 bad analysis. */
  inaccurateReasons: number[];
}

/** A message or event type this version does not know: log it and acknowledge. */
export interface AibotUnknownCallback {
  robot: 'aibot';
  format: 'json';
  type: 'unknown';
  rawType: string;
  rawEventType?: string;
  msgId?: string;
  chatId?: string;
  raw: Record<string, unknown>;
}

/** Every AI bot event callback. */
export type AibotEventCallback = AibotEnterChatCallback | AibotTemplateCardEventCallback | AibotFeedbackEventCallback;

/** Every AI bot callback. */
export type AibotCallback =
  | AibotTextCallback
  | AibotImageCallback
  | AibotMixedCallback
  | AibotVoiceCallback
  | AibotFileCallback
  | AibotStreamRefreshCallback
  | AibotEventCallback
  | AibotUnknownCallback;

/** Everything a callback URL receives, decrypted and parsed (corp app callbacks: corp-types.ts). */
export type CallbackMessage = GroupCallback | AibotCallback | CorpCallback;

/** The `type` values of {@link CallbackMessage}. */
export type CallbackType = CallbackMessage['type'];
