import { checkBytes, isObject, optionalTextBytes, requireObject, requireText, requireTextBytes } from './check.js';
import { CorpRequestError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/** An image by media_id (media/upload), or by pic_url (media/uploadimg only); media_id wins when both are given. */
export interface ImageContent {
  media_id?: string;
  pic_url?: string;
}

export interface LinkContent {
  /** ≤ 128 bytes. */
  title: string;
  url: string;
  picurl?: string;
  /** ≤ 512 bytes. */
  desc?: string;
}

export interface MiniprogramContent {
  /** ≤ 64 bytes. */
  title: string;
  /** Cover image from media/upload (520×416 suggested). */
  pic_media_id: string;
  /** A mini program associated with the corp. */
  appid: string;
  page: string;
}

export interface MediaContent {
  media_id: string;
}

/**
 * One attachment of a welcome (send_welcome_msg) or a mass message (add_msg_template), as on
 * the wire: `msgtype` names the object that carries it (corp notes §6).
 *
 * @example { msgtype: 'link', link: { title: '新人礼包', url: 'https://example.com/gift' } }
 */
export type Attachment =
  | { msgtype: 'image'; image: ImageContent }
  | { msgtype: 'link'; link: LinkContent }
  | { msgtype: 'miniprogram'; miniprogram: MiniprogramContent }
  | { msgtype: 'video'; video: MediaContent }
  | { msgtype: 'file'; file: MediaContent };

export type AttachmentType = Attachment['msgtype'];

export const ATTACHMENT_TYPES: readonly AttachmentType[] = ['image', 'link', 'miniprogram', 'video', 'file'];

/** Checks the object of one attachment type (also the top-level objects of a group-welcome template). */
export function checkAttachmentContent(type: AttachmentType, value: unknown, field: string): void {
  const o = requireObject(value, field);
  switch (type) {
    case 'image':
      if (o.media_id === undefined && o.pic_url === undefined)
        throw new CorpRequestError(field, 'needs media_id (media/upload) or pic_url (media/uploadimg)');
      if (o.media_id !== undefined) requireText(o.media_id, `${field}.media_id`);
      if (o.pic_url !== undefined) requireText(o.pic_url, `${field}.pic_url`);
      return;
    case 'link':
      requireTextBytes(o.title, CORP_LIMITS.linkTitleBytes, `${field}.title`);
      requireText(o.url, `${field}.url`);
      optionalTextBytes(o.desc, CORP_LIMITS.linkDescBytes, `${field}.desc`);
      if (o.picurl !== undefined) requireText(o.picurl, `${field}.picurl`);
      return;
    case 'miniprogram':
      requireTextBytes(o.title, CORP_LIMITS.miniprogramTitleBytes, `${field}.title`);
      requireText(o.pic_media_id, `${field}.pic_media_id`);
      requireText(o.appid, `${field}.appid`);
      requireText(o.page, `${field}.page`);
      return;
    case 'video':
    case 'file':
      requireText(o.media_id, `${field}.media_id`);
      return;
  }
}

/** Checks a list of attachments: at most 9, each with a known msgtype and its matching object. */
export function checkAttachments(value: unknown, field = 'attachments'): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new CorpRequestError(field, 'must be a list');
  if (value.length === 0) throw new CorpRequestError(field, 'is empty; leave it out or add an attachment');
  if (value.length > CORP_LIMITS.attachmentsMax)
    throw new CorpRequestError(field, `has ${value.length} attachments; WeCom allows at most ${CORP_LIMITS.attachmentsMax}`);
  value.forEach((a, i) => {
    const at = `${field}[${i}]`;
    if (!isObject(a)) throw new CorpRequestError(at, 'must be an object');
    if (!ATTACHMENT_TYPES.includes(a.msgtype as AttachmentType))
      throw new CorpRequestError(`${at}.msgtype`, `must be one of ${ATTACHMENT_TYPES.join(', ')}`);
    const type = a.msgtype as AttachmentType;
    checkAttachmentContent(type, a[type], `${at}.${type}`);
  });
}

/** Checks an optional `text: { content }` of at most `maxBytes`. */
export function checkTextPart(value: unknown, maxBytes: number, field = 'text'): void {
  if (value === undefined) return;
  const o = requireObject(value, field);
  const content = requireText(o.content, `${field}.content`);
  checkBytes(content, maxBytes, `${field}.content`);
}
