/**
 * The campaign ledger: runs, deliveries and opt-outs, and the one place guardrails are decided.
 * `plan` takes the guard row's lock (an UPDATE: a row lock on PostgreSQL, the write lock on
 * SQLite) for the whole decision, so planners on several instances take turns: each sees the
 * offers the previous one reserved, and a subject's cap holds across campaigns. A run is planned
 * once (its id is `<campaign>@<fire time>`): a retried or resumed fire time re-plans nothing.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../store/store.js';
import type { Candidate } from './audience.js';
import {
  campaignTableNames,
  type CampaignTableNames,
  type CampaignTables,
  type DeliveryRow,
  type DeliveryStatus,
  type RunRow,
} from './schema.js';

const DAY = 24 * 60 * 60 * 1000;
/** Statuses that count toward a cap: the offer went out, or will. */
export const COUNTED: readonly DeliveryStatus[] = ['planned', 'enqueuing', 'queued', 'sent'];

export interface Caps {
  perDay: number;
  perWeek: number;
}

export interface PlanResult {
  run: RunRow;
  /** False when the run was planned earlier (a retry, another instance). */
  fresh: boolean;
}

export class CampaignLedger {
  readonly t: CampaignTableNames;

  constructor(
    readonly store: Store,
    table: (name: string) => string,
    readonly now: () => number,
  ) {
    this.t = campaignTableNames(table);
  }

  db(): Kysely<CampaignTables> {
    return this.store.db<CampaignTables>();
  }

  runId(campaign: string, firedAt: number): string {
    return `${campaign}@${new Date(firedAt).toISOString()}`;
  }

  async run(id: string): Promise<RunRow | undefined> {
    const r = await this.db().selectFrom(this.t.runs).selectAll().where('id', '=', id).executeTakeFirst();
    return r && normaliseRun(r);
  }

  async runs(campaign?: string, limit = 50): Promise<RunRow[]> {
    let q = this.db().selectFrom(this.t.runs).selectAll().orderBy('fired_at', 'desc').limit(limit);
    if (campaign) q = q.where('campaign', '=', campaign);
    return (await q.execute()).map(normaliseRun);
  }

  /** Runs waiting for quiet hours to end, or interrupted mid-way: oldest first. */
  async openRuns(): Promise<RunRow[]> {
    return (await this.db().selectFrom(this.t.runs).selectAll().where('status', '!=', 'done').orderBy('fired_at').execute()).map(
      normaliseRun,
    );
  }

  /** Records a run held by quiet hours (planned when they end). */
  async defer(campaign: string, firedAt: number): Promise<void> {
    const at = this.now();
    await this.db()
      .insertInto(this.t.runs)
      .values({
        id: this.runId(campaign, firedAt),
        campaign,
        fired_at: firedAt,
        status: 'deferred',
        matched: 0,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async setRunStatus(id: string, status: RunRow['status']): Promise<void> {
    await this.db().updateTable(this.t.runs).set({ status, updated_at: this.now() }).where('id', '=', id).execute();
  }

  /**
   * Decides every candidate of a run under the guard lock: opted out, capped (the subject had
   * `perDay` offers in the last 24 h or `perWeek` in the last 7 days, any campaign), unreachable,
   * or planned.
   */
  async plan(campaign: string, firedAt: number, candidates: readonly Candidate[], caps: Caps): Promise<PlanResult> {
    const id = this.runId(campaign, firedAt);
    await this.db()
      .insertInto(this.t.guard)
      .values({ id: 'plan', seq: 0 })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return this.db()
      .transaction()
      .execute(async (trx) => {
        // The lock every planner queues on, first thing in the transaction.
        await trx
          .updateTable(this.t.guard)
          .set((eb) => ({ seq: eb('seq', '+', 1) }))
          .where('id', '=', 'plan')
          .execute();
        const at = this.now();
        const existing = await trx.selectFrom(this.t.runs).selectAll().where('id', '=', id).executeTakeFirst();
        if (existing && existing.status !== 'deferred') return { run: normaliseRun(existing), fresh: false };
        const opted = new Set((await trx.selectFrom(this.t.optouts).select('subject').execute()).map((r) => r.subject));
        const day = new Map<string, number>();
        const week = new Map<string, number>();
        const recent = await trx
          .selectFrom(this.t.deliveries)
          .select(['subject', 'decided_at'])
          .where('decided_at', '>', at - 7 * DAY)
          .where('status', 'in', COUNTED as DeliveryStatus[])
          .execute();
        for (const r of recent) {
          week.set(r.subject, (week.get(r.subject) ?? 0) + 1);
          if (Number(r.decided_at) > at - DAY) day.set(r.subject, (day.get(r.subject) ?? 0) + 1);
        }
        const rows: DeliveryRow[] = candidates.map((c) => {
          let status: DeliveryStatus = 'planned';
          let reason: string | null = null;
          if (opted.has(c.subject)) [status, reason] = ['opted_out', 'opted out'];
          else if ((day.get(c.subject) ?? 0) >= caps.perDay) [status, reason] = ['capped', `${caps.perDay} per day`];
          else if ((week.get(c.subject) ?? 0) >= caps.perWeek) [status, reason] = ['capped', `${caps.perWeek} per week`];
          else if (c.channel === 'none') [status, reason] = ['unreachable', 'not seen in any group, and no corp route'];
          return {
            run_id: id,
            subject: c.subject,
            campaign,
            rule: c.rule,
            channel: c.channel,
            chat_id: c.chatId,
            webhook_url: c.webhookUrl,
            sender: c.sender,
            body: JSON.stringify(c.body),
            status,
            reason,
            errcode: null,
            outbox_id: null,
            decided_at: at,
            enqueued_at: null,
            outbox_floor: null,
            claim: null,
            settled_at: status === 'planned' ? null : at,
          };
        });
        for (let i = 0; i < rows.length; i += 200)
          await trx
            .insertInto(this.t.deliveries)
            .values(rows.slice(i, i + 200))
            .execute();
        const run: RunRow = { id, campaign, fired_at: firedAt, status: 'sending', matched: rows.length, created_at: at, updated_at: at };
        if (existing)
          await trx
            .updateTable(this.t.runs)
            .set({ status: 'sending', matched: rows.length, updated_at: at })
            .where('id', '=', id)
            .execute();
        else await trx.insertInto(this.t.runs).values(run).execute();
        return { run, fresh: true };
      });
  }

  async deliveries(runId: string, statuses?: readonly DeliveryStatus[]): Promise<DeliveryRow[]> {
    let q = this.db().selectFrom(this.t.deliveries).selectAll().where('run_id', '=', runId).orderBy('subject');
    if (statuses) q = q.where('status', 'in', statuses as DeliveryStatus[]);
    return (await q.execute()).map(normaliseDelivery);
  }

  /** Counts per status of one run, with errcodes of the failures. */
  async counts(runId: string): Promise<{ status: Record<string, number>; errcodes: Record<string, number> }> {
    const rows = await this.db()
      .selectFrom(this.t.deliveries)
      .select(['status', 'errcode', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .groupBy(['status', 'errcode'])
      .execute();
    const status: Record<string, number> = {};
    const errcodes: Record<string, number> = {};
    for (const r of rows) {
      status[r.status] = (status[r.status] ?? 0) + Number(r.n);
      if (r.status === 'failed') errcodes[String(r.errcode ?? 'none')] = (errcodes[String(r.errcode ?? 'none')] ?? 0) + Number(r.n);
    }
    return { status, errcodes };
  }

  // ── opt-out ──────────────────────────────────────────────────────────────────────────

  /** Records an opt-out; true when it is new. */
  async optOut(subject: string, via: string): Promise<boolean> {
    const r = await this.db()
      .insertInto(this.t.optouts)
      .values({ subject, at: this.now(), via })
      .onConflict((oc) => oc.column('subject').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async optIn(subject: string): Promise<boolean> {
    const r = await this.db().deleteFrom(this.t.optouts).where('subject', '=', subject).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async optOuts(): Promise<{ subject: string; at: number; via: string }[]> {
    return (await this.db().selectFrom(this.t.optouts).selectAll().orderBy('at').execute()).map((r) => ({ ...r, at: Number(r.at) }));
  }

  async isOptedOut(subject: string): Promise<boolean> {
    return Boolean(await this.db().selectFrom(this.t.optouts).select('subject').where('subject', '=', subject).executeTakeFirst());
  }
}

export function normaliseRun(r: RunRow): RunRow {
  return {
    ...r,
    fired_at: Number(r.fired_at),
    matched: Number(r.matched),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}

const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function normaliseDelivery(r: DeliveryRow): DeliveryRow {
  return {
    ...r,
    rule: Number(r.rule),
    errcode: numOrNull(r.errcode),
    outbox_id: numOrNull(r.outbox_id),
    decided_at: Number(r.decided_at),
    enqueued_at: numOrNull(r.enqueued_at),
    outbox_floor: numOrNull(r.outbox_floor),
    settled_at: numOrNull(r.settled_at),
  };
}
