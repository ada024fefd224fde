/**
 * Re-ingesting captured deliveries (`wecombot leads replay FILE`): each is read by its
 * source's adapter and recorded exactly as the intake would record it, so a delivery already
 * stored is a replay and changes nothing, and one that was lost is stored now. Signatures are
 * not checked (the operator runs this on captured traffic, whose timestamps are old); new leads
 * are posted by the running bots' claim-timer job, which posts every lead not yet posted.
 *
 * The file is JSON Lines, one delivery a line: `{"source":"feiyu","body":{…}}` (`body` may be
 * the raw text, with `"contentType":"application/x-www-form-urlencoded"` for form posts), or,
 * with `--source`, one delivery body as it came.
 */
import { WecombotError } from '../../../errors.js';
import type { LeadsDesk } from '../desk.js';
import { readLeads } from '../intake/route.js';

export interface Delivery {
  source: string;
  body: string;
  contentType: string;
  /** Where it came from in the file (`line 3`), for errors. */
  where: string;
}

const usage = (message: string, hint?: string) => new WecombotError('cli_usage', message, hint ? { hint } : {});

/** The deliveries of a capture file. @throws cli_usage naming the line. */
export function parseCapture(text: string, source: string | undefined, contentType = 'application/json'): Delivery[] {
  if (source !== undefined) return [{ source, body: text, contentType, where: 'the file' }];
  const out: Delivery[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw usage(`line ${i + 1} is not JSON`, 'one delivery a line: {"source":"feiyu","body":{…}}, or pass --source for one raw body');
    }
    const e = entry as { source?: unknown; body?: unknown; contentType?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.source !== 'string' || e.body === undefined)
      throw usage(`line ${i + 1} has no "source" and "body"`, 'one delivery a line: {"source":"feiyu","body":{…}}');
    out.push({
      source: e.source,
      body: typeof e.body === 'string' ? e.body : JSON.stringify(e.body),
      contentType: typeof e.contentType === 'string' ? e.contentType : 'application/json',
      where: `line ${i + 1}`,
    });
  });
  return out;
}

export interface ReplayTotals {
  deliveries: number;
  new: number;
  repeat: number;
  replay: number;
  failed: { where: string; message: string }[];
}

export async function replay(desk: LeadsDesk, deliveries: readonly Delivery[]): Promise<ReplayTotals> {
  const totals: ReplayTotals = { deliveries: deliveries.length, new: 0, repeat: 0, replay: 0, failed: [] };
  for (const d of deliveries) {
    const source = desk.config.sources.get(d.source);
    if (!source) {
      totals.failed.push({ where: d.where, message: `no lead source "${d.source}" in the config` });
      continue;
    }
    try {
      const bytes = Buffer.from(d.body);
      const req = {
        headers: { 'content-type': d.contentType },
        text: () => d.body,
        json: <T>() => {
          if (d.body.trim() === '') throw new Error('the body is empty; JSON expected');
          return JSON.parse(bytes.toString('utf8')) as T;
        },
      };
      for (const incoming of readLeads(source, req)) totals[(await desk.record(source.name, incoming)).kind] += 1;
    } catch (err) {
      totals.failed.push({ where: d.where, message: (err as Error).message });
    }
  }
  return totals;
}
