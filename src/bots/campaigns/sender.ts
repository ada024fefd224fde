/**
 * Sending a planned run: group offers go into the webhook client's durable outbox (its limiter,
 * retries and per-robot order), corp offers through add_msg_template, a batch at a time:
 *
 * 1. claim a batch of `planned` deliveries (status `enqueuing`, this process's claim id, and the
 *    outbox's highest id at that moment);
 * 2. enqueue them in one outbox transaction (all rows or none);
 * 3. mark them `queued` with their outbox ids.
 *
 * A crash between 2 and 3 leaves `enqueuing` rows: `reconcile` looks each one up in the outbox
 * (same webhook, same body, id above the recorded floor) and marks it queued if the transaction
 * had committed, else puts it back to `planned`. So a crash loses nothing and enqueues nothing
 * twice; the one duplicate window left is the outbox's own (WeCom accepted a message and the
 * process died before the row was marked delivered: it is sent again after the lease).
 * add_msg_template is at most once (a second task would reach the customer twice): a corp
 * delivery interrupted mid-call is marked failed, "may have been created", never retried.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { WebhookClient } from '../../client/webhook-client.js';
import { resolveTarget, apiBase } from '../../client/target.js';
import { outboxTable } from '../../client/outbox/schema.js';
import type { CorpClient } from '../../corp/client.js';
import { WecombotError } from '../../errors.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import type { CampaignLedger } from './ledger.js';
import type { DeliveryRow } from './schema.js';

const BATCH = 200;
/** By default an `enqueuing` claim older than this is from a dead process (an enqueue takes milliseconds). */
const STALE_CLAIM_MS = 30_000;

interface OutboxRowView {
  id: number;
  target_url: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  errcode: number | null;
  lease_until: number | null;
}

export class CampaignSender {
  readonly owner = randomBytes(8).toString('hex');

  constructor(
    private readonly ledger: CampaignLedger,
    private readonly client: () => WebhookClient,
    private readonly corp: CorpClient | undefined,
    private readonly log: Logger,
    /** How old another process's `enqueuing` claim must be before it counts as abandoned (the outbox lease). */
    private readonly staleMs = STALE_CLAIM_MS,
  ) {}

  private outboxTable(): string {
    return outboxTable(this.ledger.store.namespace);
  }

  /** The raw outbox table (same database as the ledger). */
  private outbox() {
    return this.ledger.store.db<Record<string, OutboxRowView>>();
  }

  private async outboxFloor(): Promise<number> {
    await this.client().outbox?.init();
    const r = await this.outbox()
      .selectFrom(this.outboxTable())
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirst();
    return Number((r as { m?: unknown } | undefined)?.m ?? 0);
  }

  /**
   * Enqueues the run's planned deliveries, batch by batch; stops early (returning false) when
   * `mayContinue` says no (quiet hours began). Opt-outs said since planning are honoured here.
   * `onBatch` runs after each batch is in the outbox (the runner starts delivering it).
   */
  async enqueue(runId: string, mayContinue: () => boolean = () => true, onBatch: () => void = () => undefined): Promise<boolean> {
    const t = this.ledger.t;
    const db = this.ledger.db();
    for (;;) {
      if (!mayContinue()) return false;
      const batch = await db
        .selectFrom(t.deliveries)
        .select('subject')
        .where('run_id', '=', runId)
        .where('status', '=', 'planned')
        .orderBy('subject')
        .limit(BATCH)
        .execute();
      if (batch.length === 0) return true;
      const subjects = batch.map((b) => b.subject);
      const opted = new Set(
        (await db.selectFrom(t.optouts).select('subject').where('subject', 'in', subjects).execute()).map((r) => r.subject),
      );
      if (opted.size) {
        await db
          .updateTable(t.deliveries)
          .set({ status: 'opted_out', reason: 'opted out before sending', settled_at: this.ledger.now() })
          .where('run_id', '=', runId)
          .where('status', '=', 'planned')
          .where('subject', 'in', [...opted])
          .execute();
      }
      const live = subjects.filter((s) => !opted.has(s));
      if (live.length === 0) continue;
      const floor = await this.outboxFloor();
      await db
        .updateTable(t.deliveries)
        .set({ status: 'enqueuing', claim: this.owner, enqueued_at: this.ledger.now(), outbox_floor: floor })
        .where('run_id', '=', runId)
        .where('status', '=', 'planned')
        .where('subject', 'in', live)
        .execute();
      const mine = await this.ledger.deliveries(runId, ['enqueuing']).then((rows) => rows.filter((r) => r.claim === this.owner));
      await this.#sendGroup(
        runId,
        mine.filter((d) => d.channel === 'group'),
      );
      await this.#sendCorp(
        runId,
        mine.filter((d) => d.channel === 'corp'),
      );
      onBatch();
      // Give the event loop a turn: SQLite answers synchronously, so without this the whole run
      // is enqueued (seconds for thousands of rows) before one send's socket is even written.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async #sendGroup(runId: string, rows: DeliveryRow[]): Promise<void> {
    if (rows.length === 0) return;
    const client = this.client();
    const outbox = client.outbox;
    if (!outbox) throw new WecombotError('campaign_unavailable', 'campaigns need the webhook client outbox (a store)');
    const base = apiBase();
    const items = rows.map((d) => {
      const message = JSON.parse(d.body) as WebhookMessage;
      const chatid = (message as { chatid?: string }).chatid;
      return { target: resolveTarget({ webhook: d.webhook_url as string, ...(chatid ? { chatid } : {}) }, base), bodies: [message] };
    });
    const ids = await outbox.enqueue(items);
    // One statement per batch (a CASE on the subject), not 200 updates: the batch's ledger write
    // costs about what one update did, and the next batch follows sooner.
    const outboxIdOf = sql<number | null>`case ${sql.ref('subject')} ${sql.join(
      rows.map((d, i) => sql`when ${d.subject} then cast(${ids[i]?.[0] ?? null} as bigint)`),
      sql` `,
    )} end`;
    await this.ledger
      .db()
      .updateTable(this.ledger.t.deliveries)
      .set({ status: 'queued', outbox_id: outboxIdOf, claim: null })
      .where('run_id', '=', runId)
      .where(
        'subject',
        'in',
        rows.map((d) => d.subject),
      )
      .execute();
  }

  async #sendCorp(runId: string, rows: DeliveryRow[]): Promise<void> {
    const db = this.ledger.db();
    const t = this.ledger.t;
    for (const d of rows) {
      let update: Partial<DeliveryRow>;
      if (!this.corp) update = { status: 'failed', reason: 'the corp API is not configured any more', settled_at: this.ledger.now() };
      else {
        try {
          const { text } = JSON.parse(d.body) as { text: string };
          const r = await this.corp.massMessages.add({
            chat_type: 'single',
            external_userid: [d.subject],
            sender: d.sender as string,
            text: { content: text },
          });
          update = r.fail_list.includes(d.subject)
            ? {
                status: 'failed',
                reason: 'WeCom listed the customer in fail_list (not a friend of the sender?)',
                settled_at: this.ledger.now(),
              }
            : { status: 'sent', reason: `task ${r.msgid}: the staff member confirms it in WeCom`, settled_at: this.ledger.now() };
        } catch (err) {
          const errcode = (err as { errcode?: unknown }).errcode;
          update = {
            status: 'failed',
            errcode: typeof errcode === 'number' ? errcode : null,
            reason: (err as Error).message,
            settled_at: this.ledger.now(),
          };
        }
      }
      await db
        .updateTable(t.deliveries)
        .set({ ...update, claim: null })
        .where('run_id', '=', runId)
        .where('subject', '=', d.subject)
        .execute();
    }
  }

  /** Settles `enqueuing` rows left by a dead process (see the file comment). */
  async reconcile(runId: string): Promise<{ queued: number; replanned: number; failed: number }> {
    const out = { queued: 0, replanned: 0, failed: 0 };
    const now = this.ledger.now();
    // A live process's claim is left alone; this process's own (an enqueue that threw) and old ones are settled.
    const stale = (await this.ledger.deliveries(runId, ['enqueuing'])).filter(
      (d) => d.claim === this.owner || (d.enqueued_at ?? 0) <= now - this.staleMs,
    );
    if (stale.length === 0) return out;
    const db = this.ledger.db();
    const t = this.ledger.t;
    const taken = new Set(
      (await db.selectFrom(t.deliveries).select('outbox_id').where('outbox_id', 'is not', null).execute()).map((r) => Number(r.outbox_id)),
    );
    for (const d of stale) {
      let set: Partial<DeliveryRow>;
      if (d.channel === 'corp') {
        set = {
          status: 'failed',
          reason: 'interrupted during add_msg_template: the task may have been created (not retried)',
          settled_at: now,
        };
        out.failed++;
      } else {
        const found = await this.outbox()
          .selectFrom(this.outboxTable())
          .select(['id'])
          .where('id', '>', d.outbox_floor ?? 0)
          .where('target_url', '=', resolveTarget({ webhook: d.webhook_url as string }, apiBase()).sendUrl)
          .where('body', '=', d.body)
          .orderBy('id')
          .execute();
        const id = found.map((f) => Number(f.id)).find((x) => !taken.has(x));
        if (id !== undefined) {
          taken.add(id);
          set = { status: 'queued', outbox_id: id };
          out.queued++;
        } else {
          set = { status: 'planned', enqueued_at: null, outbox_floor: null };
          out.replanned++;
        }
      }
      await db
        .updateTable(t.deliveries)
        .set({ ...set, claim: null })
        .where('run_id', '=', runId)
        .where('subject', '=', d.subject)
        .execute();
    }
    if (out.queued + out.replanned + out.failed)
      this.log.info({ run: runId, ...out }, 'campaigns: reconciled deliveries left by an interrupted process');
    return out;
  }

  /**
   * Copies the outbox's outcome of queued group deliveries into the ledger; resolves to how many
   * are still in flight. Set-based (the outbox table is in the same database): two UPDATEs that
   * look each queued row's outbox row up by primary key, then one count, whatever the run's
   * size. Row by row, settling a 4,500-recipient run took a few hundred milliseconds at its end,
   * and the sweep and the report settle again. A queued row whose outbox row is gone (pruned, or
   * recalled by an opt-out that already marked it) is left as it is and not counted.
   */
  async settle(runId: string): Promise<number> {
    await this.client().outbox?.init();
    const t = this.ledger.t;
    const now = this.ledger.now();
    const deliveries = sql.table(t.deliveries);
    const outboxRow = (status: OutboxRowView['status']) =>
      sql<boolean>`exists (select 1 from ${sql.table(this.outboxTable())} o where o.id = ${deliveries}.outbox_id and o.status = ${status})`;
    const queued = this.ledger.db().updateTable(t.deliveries).where('run_id', '=', runId).where('status', '=', 'queued');
    await queued.set({ status: 'sent', settled_at: now }).where(outboxRow('delivered')).execute();
    await queued
      .set({
        status: 'failed',
        errcode: sql<number | null>`(select o.errcode from ${sql.table(this.outboxTable())} o where o.id = ${deliveries}.outbox_id)`,
        reason: 'the outbox gave up',
        settled_at: now,
      })
      .where(outboxRow('failed'))
      .execute();
    const r = await this.ledger
      .db()
      .selectFrom(t.deliveries)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', runId)
      .where('status', '=', 'queued')
      .where(outboxRow('pending'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /**
   * An opt-out takes effect at once: the subject's planned deliveries are dropped and their
   * queued ones taken back out of the outbox while still pending and not being sent.
   */
  async recall(subject: string): Promise<number> {
    const db = this.ledger.db();
    const t = this.ledger.t;
    const now = this.ledger.now();
    const planned = await db
      .updateTable(t.deliveries)
      .set({ status: 'opted_out', reason: 'opted out before sending', settled_at: now })
      .where('subject', '=', subject)
      .where('status', '=', 'planned')
      .executeTakeFirst();
    let n = Number(planned.numUpdatedRows);
    const queued = await db
      .selectFrom(t.deliveries)
      .select(['run_id', 'outbox_id'])
      .where('subject', '=', subject)
      .where('status', '=', 'queued')
      .where('outbox_id', 'is not', null)
      .execute();
    for (const q of queued) {
      await this.client().outbox?.init();
      const gone = await this.outbox()
        .deleteFrom(this.outboxTable())
        .where('id', '=', Number(q.outbox_id))
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', Date.now())]))
        .executeTakeFirst();
      if (Number(gone.numDeletedRows) === 0) continue;
      await db
        .updateTable(t.deliveries)
        .set({ status: 'opted_out', reason: 'opted out while queued: taken back from the outbox', settled_at: now })
        .where('run_id', '=', q.run_id)
        .where('subject', '=', subject)
        .execute();
      n++;
    }
    return n;
  }
}
