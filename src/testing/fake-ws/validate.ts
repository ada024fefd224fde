/**
 * The fake long-connection server's check of every outbound frame: fields and limits per
 * command, with the protocol's own validators for stream, card and markdown bodies. A frame
 * that fails is answered with errcode 40058 and recorded, so a test sees exactly what was wrong.
 */
import { MessageValidationError } from '../../protocol/message/errors.js';
import { validateAibotReply, validateAibotResponseMessage } from '../../protocol/reply/aibot-reply.js';

const MEDIA = ['image', 'file', 'voice', 'video'];

function problemsOf(fn: () => void): string[] {
  try {
    fn();
    return [];
  } catch (err) {
    if (err instanceof MessageValidationError) return err.issues.map((i) => i.message);
    return [(err as Error).message];
  }
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function media(body: Record<string, unknown>, type: string): string[] {
  const m = obj(body[type]);
  return typeof m?.media_id === 'string' && m.media_id !== '' ? [] : [`${type}.media_id is missing`];
}

/** Problems of a reply body (`aibot_respond_msg`); empty when valid. */
export function checkRespondBody(body: Record<string, unknown>): string[] {
  const type = body.msgtype;
  if (type === 'stream' || type === 'template_card' || type === 'stream_with_template_card') {
    const p = problemsOf(() => validateAibotReply(body));
    if (type === 'stream_with_template_card') p.push('stream_with_template_card is not supported on the long connection (doc 101463)');
    const items = obj(body.stream)?.msg_item;
    if (Array.isArray(items) && items.length > 0) p.push('stream.msg_item is not supported on the long connection (doc 101463)');
    return p;
  }
  if (type === 'markdown') return problemsOf(() => validateAibotResponseMessage(body));
  if (typeof type === 'string' && MEDIA.includes(type)) return media(body, type);
  return [`msgtype ${JSON.stringify(type)} is not a reply type (stream, template_card, markdown, image, file, voice, video)`];
}

/** Problems of `aibot_respond_welcome_msg`. */
export function checkWelcomeBody(body: Record<string, unknown>): string[] {
  if (body.msgtype !== 'text' && body.msgtype !== 'template_card') return ['a welcome is msgtype text or template_card'];
  return problemsOf(() => validateAibotReply(body));
}

/** Problems of `aibot_respond_update_msg`. */
export function checkUpdateBody(body: Record<string, unknown>): string[] {
  if (body.response_type !== 'update_template_card') return ['response_type must be update_template_card'];
  const p = problemsOf(() => validateAibotReply(body));
  if (typeof obj(body.template_card)?.task_id !== 'string') p.push('template_card.task_id is missing');
  return p;
}

/** Problems of `aibot_send_msg`. */
export function checkSendBody(body: Record<string, unknown>): string[] {
  const { chatid, chat_type: _t, ...rest } = body;
  const p: string[] = typeof chatid === 'string' && chatid !== '' ? [] : ['chatid is missing'];
  const type = rest.msgtype;
  if (type === 'markdown') p.push(...problemsOf(() => validateAibotResponseMessage(rest)));
  else if (type === 'template_card') p.push(...problemsOf(() => validateAibotReply(rest)));
  else if (typeof type === 'string' && MEDIA.includes(type)) p.push(...media(rest, type));
  else p.push(`msgtype ${JSON.stringify(type)} cannot be sent (markdown, template_card, image, file, voice, video)`);
  return p;
}
