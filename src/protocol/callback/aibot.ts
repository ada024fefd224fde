/**
 * Smart robot (智能机器人, "AI bot") callbacks: decrypted JSON plaintext of messages, events
 * and stream refreshes.
 */
import type { BodyOptions, RawBody } from './body.js';
import { FieldReader, invalid, optional, setDefined } from './fields.js';
import { parseJsonBody } from './json-body.js';
import type { AibotCallback, AibotCallbackBase, AibotChatType, AibotFeedbackType, AibotQuote, CallbackSender, MixedItem } from './types.js';

const MESSAGE_TYPES = ['text', 'image', 'mixed', 'voice', 'file', 'stream', 'event'];
const EVENT_TYPES = ['enter_chat', 'template_card_event', 'feedback_event'];

/**
 * Parse a decrypted AI bot callback.
 *
 * @example
 * const cb = parseAibotCallback(plaintext);
 * if (cb.type === 'stream') reply(aibotStreamReply({ id: cb.streamId, content: soFar }));
 * @throws CallbackParseError on an oversize, malformed or incomplete body.
 */
export function parseAibotCallback(body: RawBody, options: BodyOptions = {}): AibotCallback {
  return readAibotCallback(parseJsonBody(body, options));
}

/**
 * Read an AI bot callback already parsed from JSON, as a long-connection frame's body is. Its
 * text must have gone through `quoteBigIntegers` before `JSON.parse`, as `parseAibotCallback`
 * does, so that ids of 16 digits or more keep every digit.
 * @throws CallbackParseError on a malformed or incomplete body.
 */
export function readAibotCallback(raw: Record<string, unknown>): AibotCallback {
  const r = new FieldReader(raw, '', '.');
  const msgType = r.string('msgtype');
  const rawEventType = msgType === 'event' ? r.optObject('event')?.optString('eventtype') : undefined;
  if (!MESSAGE_TYPES.includes(msgType) || (rawEventType !== undefined && !EVENT_TYPES.includes(rawEventType))) {
    return {
      robot: 'aibot',
      format: 'json',
      type: 'unknown',
      rawType: msgType,
      ...optional('rawEventType', rawEventType),
      ...optional('msgId', r.optString('msgid')),
      ...optional('chatId', r.optString('chatid')),
      raw,
    };
  }

  // One object, filled in place: every frame of a long connection comes through here.
  const base: AibotCallbackBase & { quote?: AibotQuote } = {
    robot: 'aibot',
    format: 'json',
    msgId: r.string('msgid'),
    aibotId: r.string('aibotid'),
    chatType: readChatType(r),
    from: readSender(r),
  };
  setDefined(base, 'chatId', r.optString('chatid'));
  setDefined(base, 'responseUrl', r.optString('response_url'));
  setDefined(base, 'createTime', r.optNumber('create_time'));

  if (msgType === 'stream') return Object.assign(base, { type: 'stream' as const, streamId: r.object('stream').string('id') });
  if (msgType === 'event') return readEvent(r, base);

  const quoteReader = r.optObject('quote');
  if (quoteReader) base.quote = readQuote(quoteReader);
  switch (msgType) {
    case 'text':
      return Object.assign(base, { type: 'text' as const, text: r.object('text').text('content') });
    case 'image':
      return Object.assign(base, { type: 'image' as const, imageUrl: r.object('image').string('url').trim() });
    case 'mixed':
      return Object.assign(base, { type: 'mixed' as const, items: readMixed(r.object('mixed')) });
    case 'voice':
      return Object.assign(base, { type: 'voice' as const, text: r.object('voice').text('content') });
    default:
      return Object.assign(base, { type: 'file' as const, fileUrl: r.object('file').string('url').trim() });
  }
}

function readEvent(r: FieldReader, base: AibotCallbackBase): AibotCallback {
  const event = r.object('event');
  const eventType = event.string('eventtype');
  if (eventType === 'enter_chat') return { ...base, type: 'event', eventType };
  if (eventType === 'template_card_event') {
    const card = event.object('template_card_event');
    const selected = card.optObject('selected_items');
    return {
      ...base,
      type: 'event',
      eventType,
      cardType: card.string('card_type'),
      eventKey: card.text('event_key'),
      taskId: card.string('task_id'),
      selectedItems: (selected?.objects('selected_item') ?? []).map((item) => ({
        questionKey: item.string('question_key'),
        optionIds: item.optObject('option_ids')?.strings('option_id') ?? [],
      })),
    };
  }
  const feedback = event.object('feedback_event');
  const feedbackType = feedback.number('type');
  if (feedbackType !== 1 && feedbackType !== 2 && feedbackType !== 3) {
    throw invalid(feedback.pathOf('type'), '1 (accurate), 2 (inaccurate) or 3 (cancelled)');
  }
  return {
    ...base,
    type: 'event',
    eventType: 'feedback_event',
    feedbackId: feedback.string('id'),
    feedbackType: feedbackType as AibotFeedbackType,
    ...optional('content', feedback.optString('content')),
    inaccurateReasons: feedback.numbers('inaccurate_reason_list'),
  };
}

function readChatType(r: FieldReader): AibotChatType {
  const value = r.optString('chattype') ?? (r.optString('chatid') ? 'group' : 'single');
  if (value !== 'single' && value !== 'group') throw invalid(r.pathOf('chattype'), 'single or group');
  return value;
}

function readSender(r: FieldReader): CallbackSender {
  const from = r.object('from');
  const sender: CallbackSender = { userId: from.string('userid') };
  setDefined(sender, 'corpId', from.optString('corpid'));
  return sender;
}

function readMixed(mixed: FieldReader): MixedItem[] {
  const items = mixed.objects('msg_item');
  if (items.length === 0) throw invalid(mixed.pathOf('msg_item'), 'a non-empty list');
  return items.map((item): MixedItem => {
    const type = item.string('msgtype');
    if (type === 'text') return { type: 'text', text: item.object('text').text('content') };
    if (type === 'image') return { type: 'image', imageUrl: item.object('image').string('url').trim() };
    throw invalid(item.pathOf('msgtype'), 'text or image');
  });
}

function readQuote(q: FieldReader): AibotQuote {
  const type = q.string('msgtype');
  switch (type) {
    case 'text':
      return { type, text: q.object('text').text('content') };
    case 'image':
      return { type, imageUrl: q.object('image').string('url').trim() };
    case 'mixed':
      return { type, items: readMixed(q.object('mixed')) };
    case 'voice':
      return { type, text: q.object('voice').text('content') };
    case 'file':
      return { type, fileUrl: q.object('file').string('url').trim() };
    default:
      return { type: 'unknown', rawType: type };
  }
}
