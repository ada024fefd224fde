/**
 * The announcements outbox. A promotion or a reminder is written as a notice in the same
 * transaction as the change it announces, so it can never be lost: a promotion is never
 * silent. Delivery claims the notice (so two instances, or a callback and the sweep, do not
 * both send it), pushes it, and marks it delivered; a failed push is retried by the sweep with
 * a growing pause. A crash between the push and the mark can send it twice, never zero times.
 */
import type { NoticeBody, LedgerContext } from './locked.js';
import { ledgerDb } from './locked.js';
import type { NoticeRow } from './schema.js';

/** A notice to deliver. */
export interface PendingNotice {
  activityId: string;
  seq: number;
  kind: NoticeRow['kind'];
  userId: string | undefined;
  body: NoticeBody;
  attempts: number;
}

/** After this many failed pushes a notice is left for the operator (it stays in the table). */
export const MAX_NOTICE_ATTEMPTS = 8;
const CLAIM_MS = 60_000;

function toPending(row: NoticeRow): PendingNotice {
  return {
    activityId: row.activity_id,
    seq: Number(row.seq),
    kind: row.kind,
    userId: row.user_id ?? undefined,
    body: JSON.parse(row.body) as NoticeBody,
    attempts: Number(row.attempts),
  };
}

/** Notices not delivered, not claimed, and not given up on, oldest first. */
export async function pendingNotices(
  ledger: LedgerContext,
  options: { activityId?: string; seqs?: number[]; limit?: number } = {},
): Promise<PendingNotice[]> {
  const now = ledger.now();
  let query = ledgerDb(ledger)
    .selectFrom(ledger.t.notices)
    .selectAll()
    .where('delivered_at', 'is', null)
    .where('attempts', '<', MAX_NOTICE_ATTEMPTS)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]));
  if (options.activityId !== undefined) query = query.where('activity_id', '=', options.activityId);
  if (options.seqs !== undefined) {
    if (options.seqs.length === 0) return [];
    query = query.where('seq', 'in', options.seqs);
  }
  const rows = await query
    .orderBy('created_at')
    .orderBy('seq')
    .limit(options.limit ?? 50)
    .execute();
  return rows.map(toPending);
}

/** Takes the notice for one delivery attempt; false when another delivery has it (or it is done). */
export async function claimNotice(ledger: LedgerContext, notice: PendingNotice): Promise<boolean> {
  const now = ledger.now();
  const result = await ledgerDb(ledger)
    .updateTable(ledger.t.notices)
    .set((eb) => ({ claimed_until: now + CLAIM_MS, attempts: eb('attempts', '+', 1) }))
    .where('activity_id', '=', notice.activityId)
    .where('seq', '=', notice.seq)
    .where('delivered_at', 'is', null)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markDelivered(ledger: LedgerContext, notice: PendingNotice): Promise<void> {
  await ledgerDb(ledger)
    .updateTable(ledger.t.notices)
    .set({ delivered_at: ledger.now(), claimed_until: null })
    .where('activity_id', '=', notice.activityId)
    .where('seq', '=', notice.seq)
    .execute();
}

/** A failed push: the sweep tries again after a pause that grows with the attempts. */
export async function postponeNotice(ledger: LedgerContext, notice: PendingNotice): Promise<void> {
  const pause = Math.min(2 ** notice.attempts * 30_000, 3_600_000);
  await ledgerDb(ledger)
    .updateTable(ledger.t.notices)
    .set({ claimed_until: ledger.now() + pause })
    .where('activity_id', '=', notice.activityId)
    .where('seq', '=', notice.seq)
    .execute();
}
