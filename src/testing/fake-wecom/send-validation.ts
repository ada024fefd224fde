import { createHash } from 'node:crypto';
import { LIMITS } from '../../protocol/limits.js';
import { messageIssues } from '../../protocol/message/validate.js';

/** The verdict on one webhook/send body: errcode 0, or the errcode and reason WeCom would answer. */
export interface Verdict {
  errcode: number;
  reason?: string;
}

const OK: Verdict = { errcode: 0 };
const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(reason: string): Verdict {
  return { errcode: 40058, reason: `${reason}. invalid Request Parameter` };
}

function checkContent(body: Record<string, unknown>, type: string, max: number): Verdict {
  const part = body[type];
  const content = isObject(part) ? part.content : undefined;
  if (typeof content !== 'string' || content.length === 0) return { errcode: 44004 };
  if (bytes(content) > max) return invalid(`${type}.content exceed max length ${max}`);
  if (type === 'text' && isObject(part)) {
    for (const list of ['mentioned_list', 'mentioned_mobile_list']) {
      const v = part[list];
      if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
        return invalid(`text.${list} must be a string array`);
    }
  }
  return OK;
}

function checkImage(part: unknown): Verdict {
  if (!isObject(part) || typeof part.base64 !== 'string' || typeof part.md5 !== 'string')
    return invalid('image.base64 and image.md5 are required');
  const raw = Buffer.from(part.base64, 'base64');
  if (raw.length === 0) return { errcode: 44004 };
  if (raw.length > LIMITS.imageBytes) return { errcode: 40009 };
  const md5 = createHash('md5').update(raw).digest('hex');
  if (md5 !== part.md5.toLowerCase()) return invalid('image.md5 does not match image.base64');
  const jpg = raw[0] === 0xff && raw[1] === 0xd8 && raw[2] === 0xff;
  const png = raw.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!jpg && !png) return invalid('image must be jpg or png');
  return OK;
}

function checkNews(part: unknown): Verdict {
  const articles = isObject(part) ? part.articles : undefined;
  if (!Array.isArray(articles) || articles.length < LIMITS.newsArticlesMin) return invalid('news.articles is empty');
  if (articles.length > LIMITS.newsArticlesMax) return { errcode: 45008 };
  for (const a of articles) {
    if (!isObject(a) || typeof a.title !== 'string' || a.title === '' || typeof a.url !== 'string' || a.url === '') {
      return invalid('news.articles[].title and url are required');
    }
  }
  return OK;
}

function checkCard(part: unknown): Verdict {
  if (!isObject(part)) return invalid('template_card is required');
  const type = part.card_type;
  if (type !== 'text_notice' && type !== 'news_notice') return invalid('template_card.card_type must be text_notice or news_notice');
  const action = part.card_action;
  if (!isObject(action) || (action.type !== 1 && action.type !== 2)) return invalid('template_card.card_action.type is required');
  if (type === 'text_notice') {
    const main = isObject(part.main_title) ? part.main_title.title : undefined;
    if (!main && !part.sub_title_text) return invalid('template_card.main_title.title or sub_title_text is required');
  } else {
    const image = isObject(part.card_image) ? part.card_image.url : undefined;
    if (typeof image !== 'string' || image === '') return { errcode: 42044, reason: 'template_card.card_image.url is required' };
  }
  const lists: [string, number][] = [
    ['horizontal_content_list', LIMITS.templateHorizontalContentMax],
    ['jump_list', LIMITS.templateJumpListMax],
    ['vertical_content_list', LIMITS.templateVerticalContentMax],
  ];
  for (const [name, max] of lists) {
    const v = part[name];
    if (v !== undefined && (!Array.isArray(v) || v.length > max)) return invalid(`template_card.${name} exceed max size ${max}`);
  }
  return OK;
}

/**
 * Validates a webhook/send body the way the documented server does (protocol reference §1).
 * `mediaOk(id, type)` tells whether a media_id exists for this key and is still alive.
 */
export function validateSendBody(body: unknown, mediaOk: (mediaId: string, type: 'file' | 'voice') => boolean): Verdict {
  const verdict = wireChecks(body, mediaOk);
  if (verdict.errcode !== 0) return verdict;
  // Then every documented rule of the protocol validators (template card fields, beta
  // targeting …) as 40058, except the news lengths WeCom truncates silently instead of refusing.
  const issue = messageIssues(body).find(
    (i) => !/^news\.articles\[\d+\]\.(title|description)$/.test(i.path) || i.code !== 'message_too_long',
  );
  return issue ? invalid(issue.message) : OK;
}

function wireChecks(body: unknown, mediaOk: (mediaId: string, type: 'file' | 'voice') => boolean): Verdict {
  if (!isObject(body)) return invalid('Warning: wrong json format');
  const type = body.msgtype;
  const chatid = body.chatid;
  if (chatid !== undefined && (typeof chatid !== 'string' || chatid.split('|').length > LIMITS.chatIdMax)) {
    return invalid(`chatid exceed max size ${LIMITS.chatIdMax}`);
  }
  switch (type) {
    case 'text':
      return checkContent(body, 'text', LIMITS.textContentBytes);
    case 'markdown':
      return checkContent(body, 'markdown', LIMITS.markdownContentBytes);
    case 'markdown_v2':
      return checkContent(body, 'markdown_v2', LIMITS.markdownV2ContentBytes);
    case 'image':
      return checkImage(body.image);
    case 'news':
      return checkNews(body.news);
    case 'file':
    case 'voice': {
      const part = body[type];
      const id = isObject(part) ? part.media_id : undefined;
      if (typeof id !== 'string' || id === '') return invalid(`${type}.media_id is required`);
      return mediaOk(id, type) ? OK : { errcode: 40007 };
    }
    case 'template_card':
      return checkCard(body.template_card);
    default:
      return { errcode: 40008 };
  }
}
