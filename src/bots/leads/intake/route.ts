/**
 * `POST /leads/:source`: the intake. In order: the source must be configured (404), the
 * delivery verified as its platform does it (401, nothing stored), the body read by the
 * source's adapter (400 naming the field), each lead recorded (a replay changes nothing, a
 * repeat is attached to its original), each new one posted in the sales group, and the answer
 * the platform expects sent back (飞鱼 judges success by the body, so that is its configured
 * JSON). The core has checked the body size and the rate first.
 */
import type { RouteContext, RouteDefinition, RouteRequest, RouteResponse } from '../../../bot/routes/types.js';
import { RouteError } from '../../../bot/routes/route-error.js';
import type { SourceConfig } from '../config.js';
import type { LeadsDesk, Push } from '../desk.js';
import type { Lead } from '../records/rows.js';
import { feiyuLeads } from './feiyu.js';
import { formBody, genericLeads } from './generic.js';
import type { IncomingLead } from './lead-input.js';
import { tencentLeads } from './tencent.js';
import { verifyDelivery } from './verify.js';

export const INTAKE_PATH = '/leads/:source';

function sourceOf(desk: LeadsDesk, req: RouteRequest): SourceConfig {
  const source = desk.config.sources.get(req.params.source ?? '');
  if (!source)
    throw new RouteError(404, 'route_forbidden', `no lead source "${String(req.params.source).slice(0, 40)}"`, {
      hint: 'the path names one of the leads sources',
    });
  return source;
}

/** The delivery's leads, by the source's adapter. @throws RouteError 400 naming the field. */
export function readLeads(source: SourceConfig, req: Pick<RouteRequest, 'headers' | 'json' | 'text'>): IncomingLead[] {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (source.kind === 'generic' && type.startsWith('application/x-www-form-urlencoded')) return genericLeads(formBody(req.text()), source);
  const body = req.json();
  if (source.kind === 'feiyu') return feiyuLeads(body, source);
  if (source.kind === 'tencent') return tencentLeads(body, source);
  return genericLeads(body, source);
}

/** The success answer of a source: its configured code and message; generic sources learn the ids too. */
export function successBody(source: SourceConfig, results: { leadId: string; status: string }[]): Record<string, unknown> {
  const base = { [source.response.codeKey]: source.response.code, [source.response.msgKey]: source.response.message };
  return source.kind === 'generic' ? { ...base, leads: results } : base;
}

/**
 * How long the answer waits for the group post. Platforms time out and retry a slow answer,
 * and the webhook client may queue a post behind the robot's 20-a-minute limit, so past this
 * the lead (already stored) is answered as received and the post finishes on its own; on FaaS,
 * where the instance may freeze first, the claim-timer job posts it once its post claim lapses.
 */
export const POST_WAIT_MS = 2000;

async function postWithin(desk: LeadsDesk, lead: Lead, push: Push, ctx: RouteContext): Promise<void> {
  const posting = desk.post(lead, push).catch((err: unknown) => {
    ctx.log.warn({ err, lead: lead.id }, 'leads: group post failed; the claim-timer job retries');
    return false;
  });
  // A post that outlives the answer still finishes before the bot closes.
  ctx.waitUntil(posting);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, POST_WAIT_MS);
    timer.unref?.();
  });
  await Promise.race([posting, waited]);
  clearTimeout(timer);
}

export function intakeRoute(desk: LeadsDesk, now: () => number): RouteDefinition {
  return {
    method: 'POST',
    path: INTAKE_PATH,
    bodyLimitBytes: desk.config.bodyLimitBytes,
    rateLimit: { limit: desk.config.rateLimit, windowMs: 60_000 },
    // Each source has its own check; verify throws a 401 (or 404) naming what is wrong.
    auth: {
      type: 'custom',
      verify(req) {
        verifyDelivery(sourceOf(desk, req), req, now());
        return true;
      },
    },
    async handler(req, ctx): Promise<RouteResponse> {
      const source = sourceOf(desk, req);
      const leads = readLeads(source, req);
      const results: { leadId: string; status: string }[] = [];
      for (const incoming of leads) {
        const recorded = await desk.record(source.name, incoming);
        if (recorded.kind === 'new') {
          await postWithin(desk, recorded.lead, (content, options) => ctx.push(content, options), ctx);
          results.push({ leadId: recorded.lead.id, status: 'new' });
        } else if (recorded.kind === 'repeat') results.push({ leadId: recorded.lead.id, status: 'repeat' });
        else results.push({ leadId: recorded.repeatOf ?? recorded.leadId, status: 'replay' });
      }
      ctx.log.info({ source: source.name, leads: results.map((r) => `${r.leadId}:${r.status}`) }, 'leads intake');
      return { status: 200, body: successBody(source, results) };
    },
  };
}
