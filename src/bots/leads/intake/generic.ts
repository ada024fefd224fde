/**
 * A generic webhook (web forms, mini-programs, form tools): JSON or
 * `application/x-www-form-urlencoded`, one lead or `{ leads: [...] }`. Keys follow the common
 * model (`name`, `phone`, `region`, `product`, `id`), renamed per source with `fields`.
 */
import type { SourceConfig } from '../config.js';
import {
  answersOf,
  badBody,
  checkedId,
  derivedId,
  isItem,
  MAX_LEADS_PER_DELIVERY,
  pathsOf,
  text,
  timeOf,
  type IncomingLead,
  type Item,
} from './lead-input.js';

const KNOWN = new Set(['id', 'lead_id', 'name', 'phone', 'mobile', 'tel', 'region', 'city', 'product', 'channel', 'created_at', 'answers']);

export function genericLead(item: Item, source: SourceConfig, where = ''): IncomingLead {
  const phonePaths = pathsOf(source, 'phone', ['phone', 'mobile', 'tel']);
  const phoneKey = phonePaths.find((p) => item[p] !== undefined && item[p] !== '') ?? phonePaths[0];
  const phone = phoneKey ? item[phoneKey] : undefined;
  if (phone !== undefined && phone !== null && typeof phone !== 'string' && typeof phone !== 'number')
    throw badBody(`${where}${phoneKey}`, 'must be a string or a number');
  const name = text(item, pathsOf(source, 'name', ['name']), where) ?? '';
  const createdAtText = text(item, pathsOf(source, 'createdAt', ['created_at']), where);
  const createdAt = timeOf(createdAtText);
  if (createdAtText !== undefined && createdAt === undefined) throw badBody(`${where}created_at`, `"${createdAtText}" is not a time`);
  const region = text(item, pathsOf(source, 'region', ['region', 'city']), where);
  const product = text(item, pathsOf(source, 'product', ['product']), where);
  const answers = answersOf(item.answers);
  if (item.answers !== undefined && !isItem(item.answers)) throw badBody(`${where}answers`, 'must be an object of question → answer');
  const mapped = new Set(Object.values(source.fields));
  for (const [k, v] of Object.entries(item)) {
    if (KNOWN.has(k) || mapped.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number') answers[k] = String(v);
  }
  // Without an id, the same submission (phone, time, form) hashes to the same id, so a
  // form tool's retry is still one lead.
  const id =
    text(item, pathsOf(source, 'id', ['id', 'lead_id']), where) ??
    derivedId([source.name, String(phone ?? ''), name, createdAtText ?? '', answers]);
  return {
    externalId: checkedId(id, `${where}id`),
    name,
    phone: phone ?? undefined,
    region,
    product,
    channel: text(item, pathsOf(source, 'channel', ['channel']), where),
    createdAt,
    answers,
    raw: item,
  };
}

export function genericLeads(body: unknown, source: SourceConfig): IncomingLead[] {
  if (isItem(body) && Array.isArray(body.leads)) {
    if (body.leads.length > MAX_LEADS_PER_DELIVERY)
      throw badBody('leads', `has ${body.leads.length} leads; at most ${MAX_LEADS_PER_DELIVERY} a delivery`);
    return body.leads.map((x: unknown, i: number) => {
      if (!isItem(x)) throw badBody(`leads[${i}]`, 'must be an object');
      return genericLead(x, source, `leads[${i}].`);
    });
  }
  if (!isItem(body)) throw badBody('body', 'must be a JSON object (one lead) or { leads: [...] }');
  return [genericLead(body, source)];
}

/** A form post as an object (first value per key). */
export function formBody(text: string): Item {
  const out: Item = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}
