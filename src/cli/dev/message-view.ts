/**
 * What the emulator shows of a message the bot sent (a passive reply, a webhook push, an AI bot
 * response_url post): its text as WeCom markdown, and the buttons it carries, so that the user
 * can click them with `/click`.
 */
import { parseXml } from '../../protocol/xml.js';
import type { XmlElement, XmlValue } from '../../protocol/xml-types.js';

/** A question of a vote or selection card: the ids a click may submit. */
export interface CardQuestion {
  key: string;
  options: { id: string; text: string }[];
}

/** A clickable button: a markdown attachment action (classic robot) or a card button (AI bot). */
export type DevButton =
  | { robot: 'group'; label: string; callbackId: string; name: string; value: string }
  | { robot: 'aibot'; label: string; taskId: string; key: string; cardType: string; questions: CardQuestion[] };

export interface MessageView {
  /** `text`, `markdown`, `stream`, `template_card`, … as on the wire. */
  kind: string;
  /** WeCom markdown (or plain text) to print. */
  text: string;
  buttons: DevButton[];
  /** For a stream: whether it is finished. */
  finished?: boolean;
  streamId?: string;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A decrypted passive reply: XML (classic robot, XML format) or JSON. */
export function viewPlaintext(plaintext: string): MessageView {
  return plaintext.trimStart().startsWith('<') ? viewXml(plaintext) : viewJson(JSON.parse(plaintext) as Json);
}

/** A JSON message: passive reply, webhook push body or response_url body. */
export function viewJson(message: Json): MessageView {
  if (message.response_type === 'update_template_card') return { ...viewCard(obj(message.template_card)), kind: 'card update' };
  const kind = str(message.msgtype);
  const part = obj(message[kind]);
  switch (kind) {
    case 'text':
    case 'markdown_v2':
      return { kind, text: str(part.content), buttons: [] };
    case 'markdown':
      return { kind, text: str(part.content), buttons: attachmentButtons(arr(part.attachments).map(obj)) };
    case 'stream':
      return streamView(kind, part, undefined);
    case 'stream_with_template_card':
      return streamView(kind, obj(message.stream), message.template_card === undefined ? undefined : obj(message.template_card));
    case 'template_card':
      return viewCard(obj(message.template_card));
    default:
      return { kind, text: `[${kind || 'unknown message'}]`, buttons: [] };
  }
}

function streamView(kind: string, stream: Json, card: Json | undefined): MessageView {
  const cardView = card ? viewCard(card) : undefined;
  return {
    kind,
    text: [str(stream.content), cardView?.text].filter(Boolean).join('\n'),
    buttons: cardView?.buttons ?? [],
    finished: stream.finish === true,
    streamId: str(stream.id),
  };
}

function attachmentButtons(attachments: Json[]): DevButton[] {
  return attachments.flatMap((a) =>
    arr(a.actions).map((item) => {
      const action = obj(item);
      return {
        robot: 'group' as const,
        label: str(action.text) || str(action.name),
        callbackId: str(a.callback_id),
        name: str(action.name),
        value: str(action.value),
      };
    }),
  );
}

function question(selection: Json): CardQuestion {
  return {
    key: str(selection.question_key),
    options: arr(selection.option_list).map((o) => ({ id: str(obj(o).id), text: str(obj(o).text) })),
  };
}

/** A template card: title, description, the questions with their option ids, the buttons. */
function viewCard(card: Json): MessageView {
  const cardType = str(card.card_type);
  const taskId = str(card.task_id);
  const title = obj(card.main_title);
  const questions = [
    ...(card.checkbox !== undefined ? [question(obj(card.checkbox))] : []),
    ...(card.button_selection !== undefined ? [question(obj(card.button_selection))] : []),
    ...arr(card.select_list).map((s) => question(obj(s))),
  ];
  const lines = [`**[${cardType || 'card'}]** ${str(title.title)}`.trimEnd()];
  if (str(title.desc)) lines.push(str(title.desc));
  if (str(card.sub_title_text)) lines.push(str(card.sub_title_text));
  for (const q of questions) lines.push(`${q.key}: ${q.options.map((o) => `${o.id}=${o.text}`).join('  ')}`);
  const button = (b: Json) => ({ robot: 'aibot' as const, label: str(b.text) || str(b.key), taskId, key: str(b.key), cardType, questions });
  const buttons = [
    ...arr(card.button_list).map((b) => button(obj(b))),
    ...(card.submit_button !== undefined ? [button(obj(card.submit_button))] : []),
  ];
  return { kind: 'template_card', text: lines.join('\n'), buttons };
}

function text(v: XmlValue | undefined): string {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? text(v[0]) : '';
}

function elements(v: XmlValue | undefined): XmlElement[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((e): e is XmlElement => typeof e === 'object' && !Array.isArray(e));
}

/** A classic robot's XML reply: text, or markdown with `Attachment` buttons. */
function viewXml(plaintext: string): MessageView {
  const root = elements(parseXml(plaintext).root)[0] ?? {};
  const kind = text(root.MsgType);
  const body = elements(kind === 'text' ? root.Text : root.Markdown)[0] ?? {};
  const buttons = elements(body.Attachment).flatMap((a) =>
    elements(a.Actions).map((action) => ({
      robot: 'group' as const,
      label: text(action.Text) || text(action.Name),
      callbackId: text(a.CallbackId),
      name: text(action.Name),
      value: text(action.Value),
    })),
  );
  return { kind, text: text(body.Content), buttons };
}
