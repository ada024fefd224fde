/**
 * Ocean Engine 飞鱼 CRM lead push (线索推送规则): one flat JSON object per clue, POSTed to the
 * rule's URL (ad-lead-push.md §1a). Values may arrive as strings or numbers; the phone key is
 * `telphone` (sic) unless the rule renamed it (translateMap), which `fields` mirrors.
 */
import type { SourceConfig } from '../config.js';
import { answersOf, badBody, checkedId, isItem, pathsOf, text, timeOf, type IncomingLead, type Item } from './lead-input.js';

export function feiyuLead(item: Item, source: SourceConfig, where = ''): IncomingLead {
  const id = text(item, pathsOf(source, 'id', ['id', 'clue_id']), where);
  if (id === undefined) throw badBody(`${where}id`, 'is missing (the clue id 飞鱼 sends with every push)');
  const province = text(item, ['province_name'], where);
  const city = text(item, ['city_name'], where);
  const region =
    source.fields.region !== undefined
      ? text(item, [source.fields.region], where)
      : [province, city].filter((x) => x && x !== '-').join(' ') || text(item, ['location'], where)?.replace(/\+/g, ' ');
  const answers = { ...answersOf(item.remark_dict), ...answersOf(item.business_dict) };
  for (const key of ['weixin', 'qq', 'email', 'gender', 'age', 'address', 'form_remark', 'remark', 'module_name', 'ad_name', 'adv_name']) {
    const v = text(item, [key], where);
    if (v !== undefined && v !== '-') answers[key] = v;
  }
  const phoneHit = pathsOf(source, 'phone', ['telphone', 'telephone']).map((p) => ({ p, v: item[p] ?? undefined }));
  const phone = phoneHit.find((h) => h.v !== undefined && h.v !== '')?.v;
  if (phone !== undefined && typeof phone !== 'string' && typeof phone !== 'number')
    throw badBody(`${where}${phoneHit[0]?.p ?? 'telphone'}`, 'must be a string or a number');
  return {
    externalId: checkedId(id, `${where}id`),
    name: text(item, pathsOf(source, 'name', ['name']), where) ?? '',
    phone,
    region: region || undefined,
    product: source.fields.product ? text(item, [source.fields.product], where) : undefined,
    channel: text(item, pathsOf(source, 'channel', ['app_name']), where),
    createdAt: timeOf(text(item, pathsOf(source, 'createdAt', ['create_time']), where)),
    answers,
    raw: item,
  };
}

/** The body: one clue object (the documented shape), or an array of them. */
export function feiyuLeads(body: unknown, source: SourceConfig): IncomingLead[] {
  if (Array.isArray(body)) return body.map((x, i) => (isItem(x) ? feiyuLead(x, source, `[${i}].`) : badItem(i)));
  if (!isItem(body)) throw badBody('body', 'must be a JSON object (one 飞鱼 clue)');
  return [feiyuLead(body, source)];
}

function badItem(i: number): never {
  throw badBody(`[${i}]`, 'must be an object');
}
