/**
 * One chat message as the WeCom client shows it: text and markdown bubbles, placeholders for
 * media (no network beyond loopback: images are never fetched), and template cards with their
 * buttons, checkboxes and selects. A button carries its index: the server clicks the same one.
 */
import { buttonsOf, cardOf } from '../buttons.js';
import type { WebMessage } from '../model.js';
import { escapeHtml as esc, renderMarkdown, renderText } from './markdown.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function placeholder(kind: string, label: string, detail = ''): string {
  return `<div class="ph ph-${kind}"><span class="ph-icon">${{ image: '🖼', file: '📄', voice: '🎙', news: '📰' }[kind] ?? '▫'}</span> ${esc(label)}${detail ? `<small>${esc(detail)}</small>` : ''}</div>`;
}

function card(message: WebMessage, c: Json): string {
  const type = str(c.card_type);
  const parts: string[] = [];
  const source = obj(c.source);
  if (str(source.desc)) parts.push(`<div class="card-source">${esc(str(source.desc))}</div>`);
  const title = obj(c.main_title);
  if (str(title.title)) parts.push(`<div class="card-title">${esc(str(title.title))}</div>`);
  if (str(title.desc)) parts.push(`<div class="card-desc">${esc(str(title.desc))}</div>`);
  const image = obj(c.card_image);
  if (str(image.url)) parts.push(placeholder('image', '卡片图片', str(image.url)));
  const emphasis = obj(c.emphasis_content);
  if (str(emphasis.title))
    parts.push(`<div class="card-emphasis"><b>${esc(str(emphasis.title))}</b><span>${esc(str(emphasis.desc))}</span></div>`);
  const quote = obj(c.quote_area);
  if (str(quote.quote_text) || str(quote.title))
    parts.push(`<blockquote class="card-quote">${esc(str(quote.title))} ${esc(str(quote.quote_text))}</blockquote>`);
  const area = obj(c.image_text_area);
  if (str(area.title)) parts.push(`<div class="card-area">${placeholder('image', str(area.title), str(area.desc))}</div>`);
  if (str(c.sub_title_text)) parts.push(`<div class="card-sub">${esc(str(c.sub_title_text)).replace(/\n/g, '<br>')}</div>`);
  for (const v of arr(c.vertical_content_list).map(obj))
    parts.push(`<div class="card-kv"><b>${esc(str(v.title))}</b> ${esc(str(v.desc))}</div>`);
  for (const h of arr(c.horizontal_content_list).map(obj))
    parts.push(`<div class="card-kv"><span class="k">${esc(str(h.keyname))}</span><span class="v">${esc(str(h.value))}</span></div>`);
  for (const j of arr(c.jump_list).map(obj))
    parts.push(`<div class="card-jump"><a href="${esc(str(j.url))}" target="_blank" rel="noreferrer">${esc(str(j.title))} ›</a></div>`);
  const question = (q: Json, multi: boolean, label: string) => {
    const key = str(q.question_key);
    const options = arr(q.option_list)
      .map(obj)
      .map(
        (o) =>
          `<label class="opt"><input type="${multi ? 'checkbox' : 'radio'}" data-question="${esc(key)}" name="q-${esc(message.id)}-${esc(key)}" value="${esc(str(o.id))}"${o.is_checked === true || str(q.selected_id) === str(o.id) ? ' checked' : ''}${q.disable === true ? ' disabled' : ''}> ${esc(str(o.text))}</label>`,
      )
      .join('');
    return `<div class="card-question">${label ? `<div class="q-title">${esc(label)}</div>` : ''}${options}</div>`;
  };
  if (c.checkbox !== undefined) parts.push(question(obj(c.checkbox), obj(c.checkbox).mode === 1, ''));
  if (c.button_selection !== undefined) parts.push(question(obj(c.button_selection), false, str(obj(c.button_selection).title)));
  for (const s of arr(c.select_list).map(obj)) parts.push(question(s, false, str(s.title)));
  const buttons = buttonsOf(message.body, message.robot);
  const action = obj(c.card_action);
  if (str(action.url)) parts.push(`<div class="card-action">查看详情 ›</div>`);
  if (buttons.length)
    parts.push(
      `<div class="card-buttons">${buttons
        .map(
          (b, i) =>
            `<button class="card-button${b.robot === 'aibot' && b.style === 2 ? ' secondary' : ''}" data-msg="${esc(message.id)}" data-button="${i}">${esc(b.label)}</button>`,
        )
        .join('')}</div>`,
    );
  else if (arr(c.button_list).length)
    parts.push(
      `<div class="card-buttons">${arr(c.button_list)
        .map(obj)
        .map(
          (b) =>
            `<button class="card-button" disabled title="the classic robot's card buttons have no callback in the emulator">${esc(str(b.text))}</button>`,
        )
        .join('')}</div>`,
    );
  return `<div class="card card-${esc(type)}${message.updated ? ' updated' : ''}" data-card="${esc(message.id)}"><div class="card-type">${esc(type || 'template_card')}${message.updated ? ' · 已更新' : ''}</div>${parts.join('')}</div>`;
}

function attachments(message: WebMessage): string {
  const buttons = buttonsOf(message.body, message.robot).filter((b) => b.robot === 'group');
  if (!buttons.length) return '';
  return `<div class="attach-buttons">${buttons.map((b, i) => `<button class="card-button" data-msg="${esc(message.id)}" data-button="${i}">${esc(b.label)}</button>`).join('')}</div>`;
}

/** The inside of a message bubble. */
export function messageBody(message: WebMessage): string {
  const body = message.body;
  const kind = str(body.msgtype) || message.kind;
  const part = obj(body[kind]);
  switch (kind) {
    case 'text': {
      const mentioned = arr(part.mentioned_list).map(str);
      return `${renderText(str(part.content))}${mentioned.length ? `<div class="mentions">${mentioned.map((m) => `<span class="mention">@${esc(m === '@all' ? '所有人' : m)}</span>`).join(' ')}</div>` : ''}`;
    }
    case 'markdown':
      return `<div class="md">${renderMarkdown(str(part.content), false)}</div>${attachments(message)}`;
    case 'markdown_v2':
      return `<div class="md md2">${renderMarkdown(str(part.content), true)}</div>`;
    case 'image':
      return placeholder('image', '图片', `${Math.round((str(part.base64).length * 3) / 4 / 1024)} kB, md5 ${str(part.md5).slice(0, 8)}`);
    case 'news':
      return arr(part.articles)
        .map(obj)
        .map(
          (a) =>
            `<div class="news"><div class="news-title">${esc(str(a.title))}</div><div class="news-desc">${esc(str(a.description))}</div>${placeholder('news', '图文', str(a.url))}</div>`,
        )
        .join('');
    case 'file':
      return placeholder('file', '文件', str(part.media_id));
    case 'voice':
      return placeholder('voice', '语音', str(part.media_id));
    case 'stream':
    case 'stream_with_template_card': {
      const stream = obj(body.stream);
      const c = cardOf(body);
      return `<div class="md md2 stream${stream.finish === true ? '' : ' streaming'}">${renderMarkdown(str(stream.content), true)}${stream.finish === true ? '' : '<span class="cursor">▍</span>'}</div>${c ? card(message, c) : ''}`;
    }
    case 'template_card':
      return card(message, cardOf(body) ?? {});
    case 'note':
    case 'join':
    case 'leave':
      return esc(str(part.content)).replace(/\n/g, '<br>');
    default:
      return placeholder('unknown', `[${kind || 'message'}]`);
  }
}
