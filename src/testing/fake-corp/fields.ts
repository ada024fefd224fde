/**
 * The fake's own field checks (it does not share the client's, so a client bug shows up as a
 * refusal here). A refusal carries the errcode WeCom gives and a reason naming the field.
 */
export class Refusal extends Error {
  constructor(
    readonly errcode: number,
    readonly reason?: string,
  ) {
    super(reason ?? String(errcode));
  }
}

export function refuse(errcode: number, reason?: string): never {
  throw new Refusal(errcode, reason);
}

type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** 40058, WeCom's "invalid Request Parameter", with the field named. */
export function badParam(field: string, why: string): never {
  return refuse(40058, `${field} ${why}. invalid Request Parameter`);
}

export function body(raw: unknown): Json {
  if (!isObj(raw)) return refuse(40058, 'Warning: wrong json format. invalid Request Parameter');
  return raw;
}

/** A string field: required or optional, with byte or character caps. */
export function text(
  o: Json,
  key: string,
  field: string,
  rules: { required?: boolean; maxBytes?: number; maxChars?: number } = {},
): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return rules.required ? badParam(field, 'missing') : undefined;
  if (typeof v !== 'string') return badParam(field, 'must be a string');
  if (rules.required && v === '') badParam(field, 'empty');
  if (rules.maxBytes !== undefined && bytes(v) > rules.maxBytes) badParam(field, `exceed max length ${rules.maxBytes}`);
  if (rules.maxChars !== undefined && [...v].length > rules.maxChars) badParam(field, `exceed max length ${rules.maxChars}`);
  return v;
}

/** A list of non-empty strings. */
export function ids(
  o: Json,
  key: string,
  field: string,
  rules: { required?: boolean; max?: number; min?: number } = {},
): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return rules.required ? badParam(field, 'missing') : undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) return badParam(field, 'must be a list of ids');
  if (rules.min !== undefined && v.length < rules.min) badParam(field, 'empty');
  if (rules.max !== undefined && v.length > rules.max) badParam(field, `exceed max size ${rules.max}`);
  return v as string[];
}

export function int(o: Json, key: string, field: string, rules: { min: number; max: number; required?: boolean }): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return rules.required ? badParam(field, 'missing') : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < rules.min || v > rules.max)
    return badParam(field, `out of range [${rules.min}, ${rules.max}]`);
  return v;
}

/** The attachment objects of 92599 (also the top-level ones of a group-welcome template). */
export function attachmentContent(type: string, value: unknown, field: string, mediaKnown: (id: string) => boolean): void {
  if (!isObj(value)) badParam(field, 'missing');
  const o = value as Json;
  const media = (key: string) => {
    const m = text(o, key, `${field}.${key}`, { required: true }) as string;
    if (!mediaKnown(m)) refuse(40007, `invalid media_id ${field}.${key}`);
  };
  switch (type) {
    case 'image':
      if (o.media_id === undefined && o.pic_url === undefined) badParam(`${field}.media_id`, 'missing');
      if (o.media_id !== undefined) media('media_id');
      else text(o, 'pic_url', `${field}.pic_url`, { required: true });
      return;
    case 'link':
      text(o, 'title', `${field}.title`, { required: true, maxBytes: 128 });
      text(o, 'url', `${field}.url`, { required: true });
      text(o, 'desc', `${field}.desc`, { maxBytes: 512 });
      text(o, 'picurl', `${field}.picurl`);
      return;
    case 'miniprogram':
      text(o, 'title', `${field}.title`, { required: true, maxBytes: 64 });
      media('pic_media_id');
      text(o, 'appid', `${field}.appid`, { required: true });
      text(o, 'page', `${field}.page`, { required: true });
      return;
    case 'video':
    case 'file':
      media('media_id');
      return;
    default:
      refuse(41065, `invalid attachment type ${field}`);
  }
}

/** text + attachments of send_welcome_msg and add_msg_template: ≤ 9, known types, not both empty. */
export function textAndAttachments(o: Json, maxTextBytes: number, mediaKnown: (id: string) => boolean): void {
  let hasText = false;
  if (o.text !== undefined) {
    if (!isObj(o.text)) badParam('text', 'must be an object');
    const content = text(o.text as Json, 'content', 'text.content', { maxBytes: maxTextBytes });
    if (content !== undefined && bytes(content) > maxTextBytes) refuse(45002);
    hasText = !!content;
  }
  const list = o.attachments;
  if (list === undefined) {
    if (!hasText) refuse(44004, 'empty content');
    return;
  }
  if (!Array.isArray(list)) return badParam('attachments', 'must be a list');
  if (list.length === 0) refuse(41088, 'attachments is empty');
  if (list.length > 9) refuse(41064, 'attachments exceed max size 9');
  list.forEach((a, i) => {
    if (!isObj(a) || typeof a.msgtype !== 'string') refuse(41065, `invalid attachment type attachments[${i}]`);
    const type = (a as Json).msgtype as string;
    attachmentContent(type, (a as Json)[type], `attachments[${i}].${type}`, mediaKnown);
  });
}
