/**
 * One campaign run from its fire time to its report: quiet hours hold it (the sweep starts it
 * later), the audience is decided under the guardrails, offers are enqueued and delivered, and
 * statuses settle from the outbox. `preview` is the same decision without writing anything.
 */
import type { Logger } from 'pino';
import { WebhookClient } from '../../client/webhook-client.js';
import type { CorpClient } from '../../corp/client.js';
import type { Store } from '../../store/store.js';
import type { TagBook } from '../tags/book.js';
import { audienceOf, type Candidate } from './audience.js';
import type { Campaign, CampaignsConfig } from './config.js';
import { CampaignLedger, COUNTED } from './ledger.js';
import { isQuiet } from './quiet.js';
import type { RunRow } from './schema.js';
import { CampaignSender } from './sender.js';

export interface RunOutcome {
  run: string;
  status: 'deferred' | 'sent' | 'in-flight' | 'already-planned' | 'paused';
  recipients: number;
  report: DeliveryReport;
}

export interface DeliveryReport {
  campaign: string;
  run: string | undefined;
  firedAt: string | undefined;
  /** Matched by a rule. */
  recipients: number;
  sent: number;
  capped: number;
  optedOut: number;
  unreachable: number;
  failed: number;
  /** errcode → failures. */
  failedBy: Record<string, number>;
  /** Planned or in the outbox, not yet settled. */
  pending: number;
}

export interface PreviewLine {
  subject: string;
  name: string;
  rule: number;
  segment: string;
  channel: Candidate['channel'];
  /** What would happen now: `send`, `capped (1 per day)`, `opted out`, `unreachable`. */
  verdict: string;
  offer: string;
}

const DAY = 24 * 60 * 60 * 1000;

export interface RunnerDeps {
  store: Store;
  table: (name: string) => string;
  book: TagBook;
  config: CampaignsConfig;
  log: Logger;
  now: () => number;
  corp: CorpClient | undefined;
  /** The webhook client (made on first use when not given). */
  client?: WebhookClient;
}

export class CampaignRunner {
  readonly ledger: CampaignLedger;
  readonly sender: CampaignSender;
  #client: WebhookClient | undefined;

  constructor(private readonly d: RunnerDeps) {
    this.ledger = new CampaignLedger(d.store, d.table, d.now);
    this.#client = d.client;
    this.sender = new CampaignSender(this.ledger, () => this.client(), d.corp, d.log, d.config.outbox.leaseMs);
  }

  /** The tag book the audience comes from. */
  get book(): TagBook {
    return this.d.book;
  }

  client(): WebhookClient {
    return (this.#client ??= new WebhookClient({
      store: this.d.store,
      ...(this.d.config.rateLimit ? { rateLimit: this.d.config.rateLimit } : {}),
      outbox: this.d.config.outbox,
      logger: this.d.log,
    }));
  }

  campaign(name: string): Campaign | undefined {
    return this.d.config.campaigns.find((c) => c.name === name);
  }

  #quiet(): boolean {
    return isQuiet(this.d.config.quiet, this.d.now());
  }

  /** The job's handler: plan (unless quiet), enqueue, deliver, settle. */
  async run(name: string, firedAt: number): Promise<RunOutcome> {
    const campaign = this.campaign(name);
    if (!campaign) throw new TypeError(`no campaign "${name}"`);
    const runId = this.ledger.runId(name, firedAt);
    if (this.#quiet()) {
      await this.ledger.defer(name, firedAt);
      this.d.log.info({ campaign: name, run: runId }, 'campaigns: quiet hours; the run starts when they end');
      return { run: runId, status: 'deferred', recipients: 0, report: await this.report(name, runId) };
    }
    const candidates = await audienceOf(campaign, this.d.book, this.d.config, Boolean(this.d.corp));
    const { fresh, run } = await this.ledger.plan(name, firedAt, candidates, this.d.config.caps);
    if (candidates.length === 0 && fresh) {
      await this.ledger.setRunStatus(runId, 'done');
      this.d.log.info({ campaign: name, run: runId }, 'campaigns: 0 recipients; nothing sent');
      return { run: runId, status: 'sent', recipients: 0, report: await this.report(name, runId) };
    }
    const status = await this.#drive(run);
    return {
      run: runId,
      status: fresh ? status : status === 'sent' ? 'already-planned' : status,
      recipients: run.matched,
      report: await this.report(name, runId),
    };
  }

  /** Enqueues what is planned, waits for the outbox, settles; `paused` when quiet hours began. */
  async #drive(run: RunRow): Promise<'sent' | 'in-flight' | 'paused'> {
    await this.sender.reconcile(run.id);
    const outbox = this.client().outbox;
    // Deliver while the rest is enqueued: each batch starts going out as soon as it is in the
    // outbox, while the next ones are written (the outbox runs one worker per robot, however
    // many drains ask).
    let enqueuing = true;
    let wake: () => void = () => undefined;
    const pump = (async () => {
      while (enqueuing && outbox) {
        const next = new Promise<void>((resolve) => (wake = resolve));
        await outbox.drain();
        if (enqueuing) await next;
      }
    })();
    const complete = await this.sender
      .enqueue(
        run.id,
        () => !this.#quiet(),
        () => wake(),
      )
      .finally(() => {
        enqueuing = false;
        wake();
      });
    await pump;
    // Then what came after the first drain's last look; the outbox keeps each robot's order and waits out its limiter.
    await outbox?.drain();
    const inFlight = await this.sender.settle(run.id);
    if (!complete) return 'paused';
    if (inFlight === 0 && (await this.ledger.deliveries(run.id, ['planned', 'enqueuing'])).length === 0) {
      await this.ledger.setRunStatus(run.id, 'done');
      return 'sent';
    }
    return 'in-flight';
  }

  /**
   * The sweep: runs held by quiet hours start when they end; interrupted runs are reconciled and
   * finished; statuses settle. Safe on every instance (each step is claim-based).
   */
  async sweep(): Promise<{ resumed: string[] }> {
    const resumed: string[] = [];
    for (const run of await this.ledger.openRuns()) {
      const campaign = this.campaign(run.campaign);
      if (!campaign) continue;
      if (run.status === 'deferred') {
        if (this.#quiet()) continue;
        await this.run(run.campaign, run.fired_at);
      } else await this.#drive(run);
      resumed.push(run.id);
    }
    return { resumed };
  }

  /** Dry run: who would get what now, and why (nothing is written). */
  async preview(name: string): Promise<{ campaign: string; lines: PreviewLine[]; quiet: boolean; unknownTags: string[] }> {
    const campaign = this.campaign(name);
    if (!campaign) throw new TypeError(`no campaign "${name}"`);
    const candidates = await audienceOf(campaign, this.d.book, this.d.config, Boolean(this.d.corp));
    const now = this.d.now();
    const opted = new Set((await this.ledger.optOuts()).map((o) => o.subject));
    const recent = await this.ledger
      .db()
      .selectFrom(this.ledger.t.deliveries)
      .select(['subject', 'decided_at'])
      .where('decided_at', '>', now - 7 * DAY)
      .where('status', 'in', [...COUNTED])
      .execute();
    const day = new Map<string, number>();
    const week = new Map<string, number>();
    for (const r of recent) {
      week.set(r.subject, (week.get(r.subject) ?? 0) + 1);
      if (Number(r.decided_at) > now - DAY) day.set(r.subject, (day.get(r.subject) ?? 0) + 1);
    }
    const caps = this.d.config.caps;
    const lines = candidates.map((c): PreviewLine => {
      let verdict = 'send';
      if (opted.has(c.subject)) verdict = 'opted out';
      else if ((day.get(c.subject) ?? 0) >= caps.perDay) verdict = `capped (${caps.perDay} per day)`;
      else if ((week.get(c.subject) ?? 0) >= caps.perWeek) verdict = `capped (${caps.perWeek} per week)`;
      else if (c.channel === 'none') verdict = 'unreachable (never seen in a group, no corp route)';
      return { subject: c.subject, name: c.name, rule: c.rule, segment: c.segment, channel: c.channel, verdict, offer: c.text };
    });
    const known = new Set((await this.d.book.listing()).flatMap((g) => g.tags.map((t) => t.name)));
    const { segmentTags } = await import('./segment.js');
    const mentioned = new Set(campaign.rules.flatMap((r) => [...segmentTags(r.segment)]));
    return { campaign: name, lines, quiet: this.#quiet(), unknownTags: [...mentioned].filter((t) => !known.has(t)) };
  }

  /** The delivery report of a run (default: the campaign's latest). */
  async report(name: string, runId?: string): Promise<DeliveryReport> {
    const run = runId ? await this.ledger.run(runId) : (await this.ledger.runs(name, 1))[0];
    const empty: DeliveryReport = {
      campaign: name,
      run: run?.id ?? runId,
      firedAt: run ? new Date(run.fired_at).toISOString() : undefined,
      recipients: 0,
      sent: 0,
      capped: 0,
      optedOut: 0,
      unreachable: 0,
      failed: 0,
      failedBy: {},
      pending: 0,
    };
    if (!run) return empty;
    await this.sender.settle(run.id);
    const { status, errcodes } = await this.ledger.counts(run.id);
    const n = (s: string) => status[s] ?? 0;
    return {
      ...empty,
      recipients: Object.values(status).reduce((a, b) => a + b, 0),
      sent: n('sent'),
      capped: n('capped'),
      optedOut: n('opted_out'),
      unreachable: n('unreachable'),
      failed: n('failed'),
      failedBy: errcodes,
      pending: n('planned') + n('enqueuing') + n('queued'),
    };
  }

  async close(): Promise<void> {
    if (!this.d.client) await this.#client?.close();
  }
}
