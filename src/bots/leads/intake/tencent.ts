/**
 * Tencent Ads (腾讯广告 线索管理平台) leads. The console push to a customer URL is unconfirmed
 * (ad-lead-push.md §2), so the adapter reads the documented lead item of `lead_clues/get` /
 * `leads_list/get`: one item, an array of them, or the API's own envelopes (`leads_info`,
 * `data.leads_info`, `list`), which also lets `wecombot leads replay` ingest pulled pages.
 */
import type { SourceConfig } from '../config.js';
import {
  answersOf,
  badBody,
  checkedId,
  isItem,
  MAX_LEADS_PER_DELIVERY,
  pathsOf,
  text,
  timeOf,
  type IncomingLead,
  type Item,
} from './lead-input.js';

export function tencentLead(item: Item, source: SourceConfig, where = ''): IncomingLead {
  // leads_id is an int64: read as text so ids beyond 2^53 survive when sent as strings.
  const id = text(item, pathsOf(source, 'id', ['leads_id', 'outer_leads_id']), where);
  if (id === undefined) throw badBody(`${where}leads_id`, 'is missing (every Tencent Ads lead has one)');
  const answers = answersOf(item.bundle);
  for (const key of [
    'leads_wechat',
    'leads_qq',
    'leads_email',
    'leads_gender',
    'age',
    'address',
    'campaign_name',
    'adgroup_name',
    'page_name',
    'component_name',
  ]) {
    const v = text(item, [key], where);
    if (v !== undefined) answers[key] = v;
  }
  const phonePath = pathsOf(source, 'phone', ['leads_telephone'])[0] as string;
  const phone = item[phonePath];
  if (phone !== undefined && phone !== null && typeof phone !== 'string' && typeof phone !== 'number')
    throw badBody(`${where}${phonePath}`, 'must be a string or a number');
  return {
    externalId: checkedId(id, `${where}leads_id`),
    name: text(item, pathsOf(source, 'name', ['leads_name']), where) ?? '',
    phone: phone ?? undefined,
    region: text(item, pathsOf(source, 'region', ['leads_area', 'telephone_location']), where),
    product: source.fields.product ? text(item, [source.fields.product], where) : undefined,
    channel: text(item, pathsOf(source, 'channel', ['leads_source']), where),
    createdAt: timeOf(text(item, pathsOf(source, 'createdAt', ['leads_create_time', 'leads_action_time']), where)),
    answers,
    raw: item,
  };
}

export function tencentLeads(body: unknown, source: SourceConfig): IncomingLead[] {
  let items: unknown = body;
  let where = '';
  if (isItem(body)) {
    const data = isItem(body.data) ? body.data : undefined;
    if (Array.isArray(body.leads_info)) [items, where] = [body.leads_info, 'leads_info'];
    else if (data && Array.isArray(data.leads_info)) [items, where] = [data.leads_info, 'data.leads_info'];
    else if (data && Array.isArray(data.list)) [items, where] = [data.list, 'data.list'];
    else if (Array.isArray(body.list)) [items, where] = [body.list, 'list'];
    else return [tencentLead(body, source)];
  }
  if (!Array.isArray(items)) throw badBody('body', 'must be a JSON object (one Tencent Ads lead) or an array of them');
  if (items.length > MAX_LEADS_PER_DELIVERY)
    throw badBody(where || 'body', `has ${items.length} leads; at most ${MAX_LEADS_PER_DELIVERY} a delivery`);
  return items.map((x, i) => {
    if (!isItem(x)) throw badBody(`${where}[${i}]`, 'must be an object');
    return tencentLead(x, source, `${where}[${i}].`);
  });
}
