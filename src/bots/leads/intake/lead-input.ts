/**
 * The common lead model every adapter reads a delivery into (ad-lead-push.md, "Common lead
 * model"), and the helpers they share to read body fields, each error naming the field.
 */
import { createHash } from 'node:crypto';
import { RouteError } from '../../../bot/routes/route-error.js';
import type { LeadField, SourceConfig } from '../config.js';

/** One lead as a source delivered it, before de-duplication and assignment. */
export interface IncomingLead {
  /** The source's lead id (clue id, leads_id), or a hash of phone + time + form when it sends none. */
  externalId: string;
  name: string;
  /** The phone as sent (string or number); normalized later. */
  phone: unknown;
  region: string | undefined;
  product: string | undefined;
  channel: string | undefined;
  /** Epoch ms, when the source says when the lead was made. */
  createdAt: number | undefined;
  /** Form answers and other contacts (weixin, qq), as text. */
  answers: Record<string, string>;
  /** The delivered item as it came, kept for later mapping. */
  raw: unknown;
}

/** Most leads one delivery may carry; more is refused (ad-lead-push.md, security rule 3). */
export const MAX_LEADS_PER_DELIVERY = 100;

export const badBody = (field: string, problem: string) =>
  new RouteError(400, 'route_body_invalid', `${field} ${problem}`, { hint: 'check the push rule field mapping (sources.<name>.fields)' });

export type Item = Record<string, unknown>;

export function isItem(v: unknown): v is Item {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a dotted path (`remark_dict.意向课程`); a key containing dots is tried whole first. */
export function pick(item: Item, path: string): unknown {
  if (path in item) return item[path];
  let at: unknown = item;
  for (const part of path.split('.')) {
    if (!isItem(at)) return undefined;
    at = at[part];
  }
  return at;
}

/** The first of `paths` present, with the path it was found at. */
export function first(item: Item, paths: readonly string[]): { path: string; value: unknown } | undefined {
  for (const path of paths) {
    const value = pick(item, path);
    if (value !== undefined && value !== null && value !== '') return { path, value };
  }
  return undefined;
}

/** Text of a field: strings and numbers; anything else is a 400 naming where it was. */
export function text(item: Item, paths: readonly string[], where: string): string | undefined {
  const hit = first(item, paths);
  if (!hit) return undefined;
  if (typeof hit.value === 'string') return hit.value.trim() || undefined;
  if (typeof hit.value === 'number' && Number.isFinite(hit.value)) return String(hit.value);
  throw badBody(`${where}${hit.path}`, `must be a string or a number (got ${Array.isArray(hit.value) ? 'an array' : typeof hit.value})`);
}

/** The paths of a field: the source's own mapping first, then the platform's defaults. */
export function pathsOf(source: SourceConfig, field: LeadField, defaults: readonly string[]): readonly string[] {
  const mapped = source.fields[field];
  return mapped ? [mapped] : defaults;
}

/** Answers as text: objects' values joined, nested objects as JSON. */
export function answersOf(value: unknown): Record<string, string> {
  if (typeof value === 'string') {
    try {
      return answersOf(JSON.parse(value));
    } catch {
      return {};
    }
  }
  if (!isItem(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null || v === '') continue;
    out[k] =
      typeof v === 'string' ? v : Array.isArray(v) ? v.map(String).join('、') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** Unix seconds or ms (as number or digits), or `YYYY-MM-DD HH:MM:SS` in Beijing time. */
export function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{9,10}$/.test(value)) return Number(value) * 1000;
  if (/^\d{12,13}$/.test(value)) return Number(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (m) return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`);
  const iso = Date.parse(value);
  return Number.isNaN(iso) ? undefined : iso;
}

/** A stable id for a lead the source sent without one: the same submission hashes the same. */
export function derivedId(parts: readonly unknown[]): string {
  return `h:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/** An id that fits the table (128 characters) and has no control characters. */
export function checkedId(id: string, field: string): string {
  if (id.length > 128 || /\p{Cc}/u.test(id)) throw badBody(field, 'is not a lead id (at most 128 printable characters)');
  return id;
}
