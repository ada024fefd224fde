/**
 * Recording a delivered lead, in one transaction, safe under retries and races between
 * instances sharing the database:
 *
 * 1. the row is inserted under the unique (source, external_id) index; a conflict means a
 *    replayed delivery (the platform's retry, `wecombot leads replay`): nothing changes;
 * 2. its phone claims the repeat window in the phones table; a live claim by another lead
 *    makes this one a repeat, attached to that original (counted, audited, never reposted);
 * 3. a new lead is assigned under the rotation row's lock (`FOR UPDATE` on PostgreSQL; SQLite
 *    transactions take the write lock at once), so two instances never give two leads the
 *    same turn.
 *
 * On PostgreSQL a racing insert of the same key waits for the first transaction and then sees
 * the conflict, which is why three concurrent deliveries to two instances give one record.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Assignment, LeadFacts, RotationState } from '../assign.js';
import type { Phone } from '../phone.js';
import { writeAudit } from './audit.js';
import { ledgerDb, toLead, type Lead, type LeadsLedger } from './rows.js';
import type { LeadTables } from './schema.js';

export interface NewLead {
  source: string;
  externalId: string;
  name: string;
  phone: Phone;
  region: string | undefined;
  product: string | undefined;
  channel: string | undefined;
  answers: Record<string, string>;
  raw: unknown;
  /** When the source says the lead was made (kept in the detail; the row's time is ours). */
  sourceCreatedAt?: number | undefined;
}

export type Recorded =
  | { kind: 'new'; lead: Lead }
  | { kind: 'repeat'; lead: Lead; repeatId: string }
  | { kind: 'replay'; leadId: string; repeatOf: string | undefined };

export interface RecordOptions {
  repeatWindowMs: number;
  claimWithinMs: number;
  strategy: 'round-robin' | 'least-loaded';
  choose(facts: LeadFacts, state: RotationState, at: number): Assignment;
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** `L` and 8 characters without look-alikes (0/O, 1/I): short enough to type in `线索 L…`. */
export function newLeadId(): string {
  return `L${Array.from(randomBytes(8), (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

type Trx = Transaction<LeadTables>;

async function claimPhone(
  trx: Trx,
  ledger: LeadsLedger,
  phone: string,
  leadId: string,
  until: number,
  now: number,
): Promise<string | undefined> {
  const { t } = ledger;
  const inserted = await trx
    .insertInto(t.phones)
    .values({ phone, lead_id: leadId, until })
    .onConflict((oc) => oc.column('phone').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const held = await trx.selectFrom(t.phones).selectAll().where('phone', '=', phone).executeTakeFirst();
    if (held && Number(held.until) > now) {
      const original = await trx.selectFrom(t.leads).select('id').where('id', '=', held.lead_id).executeTakeFirst();
      if (original) return original.id;
    }
    // The window is over (or its lead is gone): take it over, unless another delivery just did.
    const taken = await trx
      .updateTable(t.phones)
      .set({ lead_id: leadId, until })
      .where('phone', '=', phone)
      .where((eb) => eb.or([eb('until', '<=', now), eb('lead_id', '=', held?.lead_id ?? '')]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) > 0) return undefined;
  }
  return undefined;
}

async function rotationState(
  trx: Trx,
  ledger: LeadsLedger,
  strategy: RecordOptions['strategy'],
): Promise<{ seq: number; state: RotationState }> {
  const { t } = ledger;
  await trx
    .insertInto(t.rotation)
    .values({ id: 'rr', seq: 0 })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  let q = trx.selectFrom(t.rotation).select('seq').where('id', '=', 'rr');
  if (ledger.store.sqlDialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirstOrThrow();
  const reps = await trx.selectFrom(t.reps).selectAll().execute();
  const open = new Map<string, number>();
  if (strategy === 'least-loaded') {
    const counts = await trx
      .selectFrom(t.leads)
      .select(['assigned_to', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', ['new', 'claimed'])
      .where('assigned_to', 'is not', null)
      .groupBy('assigned_to')
      .execute();
    for (const c of counts) if (c.assigned_to) open.set(c.assigned_to, Number(c.n));
  }
  return { seq: Number(row.seq), state: { lastSeq: new Map(reps.map((r) => [r.user_id, Number(r.last_seq)])), open } };
}

/** Records one lead; see the file comment for the steps. */
export async function recordLead(ledger: LeadsLedger, input: NewLead, options: RecordOptions): Promise<Recorded> {
  const { t } = ledger;
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx): Promise<Recorded> => {
      const now = ledger.now();
      const id = newLeadId();
      const inserted = await trx
        .insertInto(t.leads)
        .values({
          id,
          source: input.source,
          external_id: input.externalId,
          status: 'new',
          repeat_of: null,
          repeat_count: 0,
          last_repeat_at: null,
          name: input.name,
          phone: input.phone.e164 ?? null,
          phone_raw: input.phone.raw,
          phone_flag: input.phone.flag ?? null,
          region: input.region ?? null,
          product: input.product ?? null,
          channel: input.channel ?? null,
          answers: JSON.stringify(input.answers),
          raw: JSON.stringify(input.raw ?? null),
          rep: null,
          assigned_to: null,
          assign_reason: null,
          escalation_level: 0,
          escalate_at: null,
          claimed_by: null,
          claimed_at: null,
          posted_at: null,
          post_claimed_until: null,
          post_attempts: 0,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
        const existing = await trx
          .selectFrom(t.leads)
          .select(['id', 'repeat_of'])
          .where('source', '=', input.source)
          .where('external_id', '=', input.externalId)
          .executeTakeFirstOrThrow();
        return { kind: 'replay', leadId: existing.id, repeatOf: existing.repeat_of ?? undefined };
      }

      const originalId = input.phone.e164
        ? await claimPhone(trx, ledger, input.phone.e164, id, now + options.repeatWindowMs, now)
        : undefined;
      if (originalId) {
        await trx.updateTable(t.leads).set({ status: 'repeat', repeat_of: originalId }).where('id', '=', id).execute();
        await trx
          .updateTable(t.leads)
          .set((eb) => ({ repeat_count: eb('repeat_count', '+', 1), last_repeat_at: now, updated_at: now }))
          .where('id', '=', originalId)
          .execute();
        await writeAudit(trx, t, now, {
          leadId: originalId,
          actor: 'system',
          action: 'repeat',
          detail: { repeatId: id, source: input.source, externalId: input.externalId },
        });
        const original = await trx.selectFrom(t.leads).selectAll().where('id', '=', originalId).executeTakeFirstOrThrow();
        return { kind: 'repeat', lead: toLead(original), repeatId: id };
      }

      const { seq, state } = await rotationState(trx, ledger, options.strategy);
      const choice = options.choose({ source: input.source, region: input.region, product: input.product }, state, now);
      const next = seq + 1;
      await trx.updateTable(t.rotation).set({ seq: next }).where('id', '=', 'rr').execute();
      await trx
        .insertInto(t.reps)
        .values({ user_id: choice.rep.userId, last_seq: next })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_seq: next }))
        .execute();
      await trx
        .updateTable(t.leads)
        .set({
          rep: choice.rep.userId,
          assigned_to: choice.rep.userId,
          assign_reason: choice.reason,
          escalate_at: now + options.claimWithinMs,
        })
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, t, now, {
        leadId: id,
        actor: 'system',
        action: 'created',
        to: 'new',
        detail: {
          source: input.source,
          externalId: input.externalId,
          phoneFlag: input.phone.flag ?? null,
          sourceCreatedAt: input.sourceCreatedAt ?? null,
        },
      });
      await writeAudit(trx, t, now, {
        leadId: id,
        actor: 'system',
        action: 'assigned',
        detail: { rep: choice.rep.userId, reason: choice.reason },
      });
      const row = await trx.selectFrom(t.leads).selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { kind: 'new', lead: toLead(row) };
    });
}
