/**
 * Reading sign-ups for the roster, the activity card and the export. Reads take no lock: a
 * roster a moment old is fine, and it never blocks a sign-up.
 */
import { ledgerDb, type LedgerContext } from './locked.js';
import { toSignup, type Signup } from './rows.js';
import { ACTIVE, type SignupStatus } from './schema.js';

/** Seats held, people waiting, and the counts behind them. */
export interface ActivityCounts {
  /** Seats taken by confirmed members and pending offers. */
  held: number;
  confirmed: number;
  offered: number;
  /** Members (not seats) on the waitlist. */
  waitlisted: number;
}

export async function activityCounts(ledger: LedgerContext, activityId: string): Promise<ActivityCounts> {
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.signups)
    .select((eb) => ['status', eb.fn.countAll<number>().as('members'), eb.fn.sum<number>('party').as('seats')])
    .where('activity_id', '=', activityId)
    .where('status', 'in', ACTIVE)
    .groupBy('status')
    .execute();
  const by = (status: SignupStatus) => rows.find((r) => r.status === status);
  const seats = (status: SignupStatus) => Number(by(status)?.seats ?? 0);
  return {
    held: seats('confirmed') + seats('offered'),
    confirmed: seats('confirmed'),
    offered: seats('offered'),
    waitlisted: Number(by('waitlisted')?.members ?? 0),
  };
}

/**
 * Sign-ups in roster order: confirmed and offered first, then the waitlist, each by number.
 * `all` adds cancelled, declined and expired ones (the export).
 */
export async function rosterOf(ledger: LedgerContext, activityId: string, options: { all?: boolean } = {}): Promise<Signup[]> {
  let query = ledgerDb(ledger).selectFrom(ledger.t.signups).selectAll().where('activity_id', '=', activityId);
  if (!options.all) query = query.where('status', 'in', ACTIVE);
  const rows = (await query.orderBy('number').execute()).map(toSignup);
  const rank = (s: Signup) => (s.status === 'confirmed' || s.status === 'offered' ? 0 : s.status === 'waitlisted' ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || a.number - b.number);
}

/** The member's active sign-ups across activities (for `取消报名` without a code). */
export async function activeSignupsOf(ledger: LedgerContext, userId: string, activityIds: readonly string[]): Promise<Signup[]> {
  if (activityIds.length === 0) return [];
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.signups)
    .selectAll()
    .where('user_id', '=', userId)
    .where('activity_id', 'in', activityIds)
    .where('status', 'in', ACTIVE)
    .execute();
  return rows.map(toSignup);
}

/** The audit trail of an activity, oldest first. */
export async function auditOf(
  ledger: LedgerContext,
  activityId: string,
): Promise<
  {
    seq: number;
    at: number;
    actor: string;
    userId: string | undefined;
    action: string;
    from: string | undefined;
    to: string | undefined;
    detail: Record<string, unknown>;
  }[]
> {
  const rows = await ledgerDb(ledger).selectFrom(ledger.t.audit).selectAll().where('activity_id', '=', activityId).orderBy('seq').execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: Number(r.at),
    actor: r.actor,
    userId: r.user_id ?? undefined,
    action: r.action,
    from: r.from_status ?? undefined,
    to: r.to_status ?? undefined,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}

/** One member's sign-up, read without the lock (a hint; decisions are made under the lock). */
export async function signupOf(ledger: LedgerContext, activityId: string, userId: string): Promise<Signup | undefined> {
  const row = await ledgerDb(ledger)
    .selectFrom(ledger.t.signups)
    .selectAll()
    .where('activity_id', '=', activityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? toSignup(row) : undefined;
}
