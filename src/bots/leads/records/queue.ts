/**
 * What the claim timer and the post retry work on. A group post and each escalation step are
 * claimed by a conditional update before anything is pushed, so of the instances running the
 * job (or an intake racing the job) exactly one pushes; a failed push hands the step back.
 */
import { writeAudit } from './audit.js';
import { ledgerDb, toLead, type Lead, type LeadsLedger } from './rows.js';

const POST_CLAIM_MS = 60_000;

/** Takes the lead's first post; false when it is posted or another instance is posting it. */
export async function claimPost(ledger: LeadsLedger, id: string): Promise<boolean> {
  const now = ledger.now();
  const done = await ledgerDb(ledger)
    .updateTable(ledger.t.leads)
    .set((eb) => ({ post_claimed_until: now + POST_CLAIM_MS, post_attempts: eb('post_attempts', '+', 1) }))
    .where('id', '=', id)
    .where('posted_at', 'is', null)
    .where((eb) => eb.or([eb('post_claimed_until', 'is', null), eb('post_claimed_until', '<=', now)]))
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

export async function markPosted(ledger: LeadsLedger, id: string): Promise<void> {
  const now = ledger.now();
  await ledgerDb(ledger)
    .updateTable(ledger.t.leads)
    .set({ posted_at: now, post_claimed_until: null, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** A failed post: free it for the job's next run. */
export async function releasePost(ledger: LeadsLedger, id: string): Promise<void> {
  await ledgerDb(ledger)
    .updateTable(ledger.t.leads)
    .set({ post_claimed_until: null })
    .where('id', '=', id)
    .where('posted_at', 'is', null)
    .execute();
}

/** Originals never posted (the intake's push failed), oldest first. */
export async function unposted(ledger: LeadsLedger, limit = 20, maxAttempts = 10): Promise<Lead[]> {
  const now = ledger.now();
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.leads)
    .selectAll()
    .where('posted_at', 'is', null)
    .where('status', '!=', 'repeat')
    .where('post_attempts', '<', maxAttempts)
    .where((eb) => eb.or([eb('post_claimed_until', 'is', null), eb('post_claimed_until', '<=', now)]))
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map(toLead);
}

/** New leads whose claim time is up, oldest first. */
export async function dueForEscalation(ledger: LeadsLedger, limit = 50): Promise<Lead[]> {
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.leads)
    .selectAll()
    .where('status', '=', 'new')
    .where('escalate_at', '<=', ledger.now())
    .where('posted_at', 'is not', null)
    .orderBy('escalate_at')
    .limit(limit)
    .execute();
  return rows.map(toLead);
}

/**
 * Moves a lead one escalation step, to `to`, when it is still where the caller saw it (so one
 * instance wins); `nextAt` is the following step's time, or undefined after the last.
 */
export async function escalate(ledger: LeadsLedger, lead: Lead, to: string, nextAt: number | undefined): Promise<boolean> {
  const { t } = ledger;
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx) => {
      const now = ledger.now();
      const done = await trx
        .updateTable(t.leads)
        .set({ rep: to, escalation_level: lead.escalationLevel + 1, escalate_at: nextAt ?? null, updated_at: now })
        .where('id', '=', lead.id)
        .where('status', '=', 'new')
        .where('escalation_level', '=', lead.escalationLevel)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return false;
      await writeAudit(trx, t, now, {
        leadId: lead.id,
        actor: 'system',
        action: 'escalated',
        detail: { from: lead.rep ?? null, to, level: lead.escalationLevel + 1 },
      });
      return true;
    });
}

/** Undoes a step whose push failed, so the next run tries again. */
export async function unescalate(ledger: LeadsLedger, lead: Lead): Promise<void> {
  await ledgerDb(ledger)
    .updateTable(ledger.t.leads)
    .set({ rep: lead.rep ?? null, escalation_level: lead.escalationLevel, escalate_at: lead.escalateAt ?? null })
    .where('id', '=', lead.id)
    .where('status', '=', 'new')
    .where('escalation_level', '=', lead.escalationLevel + 1)
    .execute();
}

/** The end of the chain: the timer stops, the lead stays new and listed (audited once). */
export async function stopTimer(ledger: LeadsLedger, lead: Lead): Promise<boolean> {
  const { t } = ledger;
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx) => {
      const now = ledger.now();
      const done = await trx
        .updateTable(t.leads)
        .set({ escalate_at: null, updated_at: now })
        .where('id', '=', lead.id)
        .where('status', '=', 'new')
        .where('escalation_level', '=', lead.escalationLevel)
        .where('escalate_at', 'is not', null)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) === 0) return false;
      await writeAudit(trx, t, now, {
        leadId: lead.id,
        actor: 'system',
        action: 'unclaimed',
        detail: { with: lead.rep ?? null, level: lead.escalationLevel },
      });
      return true;
    });
}
