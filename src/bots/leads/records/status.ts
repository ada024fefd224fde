/**
 * Status changes: new → claimed → contacted → won / lost (a claimed lead may also close at
 * once). Each is a conditional update (`WHERE status = <from>`), so of two salespeople
 * clicking 认领 together exactly one wins, on one instance or many; each writes its audit.
 */
import { writeAudit } from './audit.js';
import { ledgerDb, toLead, type Lead, type LeadsLedger } from './rows.js';
import type { LeadStatus } from './schema.js';

/** Where each status may go. */
export const NEXT: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['claimed'],
  claimed: ['contacted', 'won', 'lost'],
  contacted: ['won', 'lost'],
  won: [],
  lost: [],
  repeat: [],
};

export type Change = { ok: true; lead: Lead } | { ok: false; lead: Lead | undefined; reason: 'missing' | 'taken' | 'not-allowed' };

export async function findLead(ledger: LeadsLedger, id: string): Promise<Lead | undefined> {
  const row = await ledgerDb(ledger).selectFrom(ledger.t.leads).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toLead(row) : undefined;
}

/** The claim: only a `new` lead, first click wins. */
export async function claimLead(ledger: LeadsLedger, id: string, userId: string): Promise<Change> {
  const { t } = ledger;
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx): Promise<Change> => {
      const now = ledger.now();
      const done = await trx
        .updateTable(t.leads)
        .set({ status: 'claimed', claimed_by: userId, claimed_at: now, escalate_at: null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'new')
        .executeTakeFirst();
      const row = await trx.selectFrom(t.leads).selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return { ok: false, lead: undefined, reason: 'missing' };
      if (Number(done.numUpdatedRows) === 0)
        return { ok: false, lead: toLead(row), reason: row.status === 'repeat' ? 'not-allowed' : 'taken' };
      await writeAudit(trx, t, now, {
        leadId: id,
        actor: userId,
        action: 'claimed',
        from: 'new',
        to: 'claimed',
        detail: { level: Number(row.escalation_level) },
      });
      return { ok: true, lead: toLead(row) };
    });
}

/** contacted / won / lost, by `actor`; `note` goes to the audit (keep personal data out of it). */
export async function changeStatus(ledger: LeadsLedger, id: string, to: LeadStatus, actor: string, note?: string): Promise<Change> {
  const { t } = ledger;
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx): Promise<Change> => {
      const now = ledger.now();
      const row = await trx.selectFrom(t.leads).selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return { ok: false, lead: undefined, reason: 'missing' };
      if (!NEXT[row.status].includes(to)) return { ok: false, lead: toLead(row), reason: 'not-allowed' };
      const done = await trx
        .updateTable(t.leads)
        .set({ status: to, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', row.status)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return { ok: false, lead: toLead(row), reason: 'taken' };
      await writeAudit(trx, t, now, { leadId: id, actor, action: 'status', from: row.status, to, detail: note ? { note } : {} });
      const after = await trx.selectFrom(t.leads).selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return { ok: true, lead: toLead(after) };
    });
}
