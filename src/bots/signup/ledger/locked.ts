/**
 * Every change to an activity and its sign-ups happens in one transaction that holds the
 * activity's lock: a row lock (`SELECT … FOR UPDATE`) on PostgreSQL; on SQLite the store's
 * transactions begin IMMEDIATE, which takes the database's write lock at once.
 *
 * Why a transaction with a row lock, and not a store lease per activity:
 * - the capacity check and the write are one atomic unit: a crash, a timeout or a lost
 *   connection in between rolls both back, so a store outage can never leave an over-filled
 *   activity (it fails closed, and the member is told);
 * - the database's lock cannot expire under a slow holder. A lease can (a GC pause, a slow
 *   query), and a second instance taking the expired lease would then fill the same seat;
 * - waiters queue in the database instead of polling a lease with sleeps, so 200 members
 *   arriving at once cost 200 short transactions, not thousands of lock attempts;
 * - with Redis as the key-value store the lease would live in Redis and the rows in SQL, two
 *   systems that cannot fail together.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/store.js';
import { toActivity, type Activity } from './rows.js';
import type { NoticeRow, SignupStatus, SignupTableNames, SignupTables } from './schema.js';

/** What the ledger functions need: the store, the table names and the clock. */
export interface LedgerContext {
  readonly store: Store;
  readonly t: SignupTableNames;
  readonly now: () => number;
}

/** One audit entry: every state change of an activity or a sign-up writes one. */
export interface AuditEntry {
  actor: string;
  userId?: string;
  action: string;
  from?: SignupStatus | undefined;
  to?: SignupStatus | undefined;
  /** No personal data here: numbers, party sizes, reasons. */
  detail?: Record<string, unknown>;
}

/** An announcement for the activity's chat. */
export interface NoticeInput {
  kind: NoticeRow['kind'];
  userId?: string;
  body: NoticeBody;
}

/** What a notice says: markdown, its buttons (classic robot), who it @-mentions. */
export interface NoticeBody {
  markdown: string;
  buttons?: { id: string; text: string; replaceText?: string }[];
  mention?: string[];
}

/** The open transaction on one activity. */
export interface LockedActivity {
  readonly trx: Transaction<SignupTables>;
  readonly t: SignupTableNames;
  /** The activity as read under the lock. */
  readonly activity: Activity;
  /** "Now", read after the lock was taken. */
  readonly now: number;
  /** The next sign-up number (arrival order). */
  takeNumber(): number;
  audit(entry: AuditEntry): Promise<void>;
  /** Queues an announcement in the same transaction: it is delivered only if this commits, and then at least once. */
  notice(notice: NoticeInput): Promise<number>;
}

export function ledgerDb(ledger: LedgerContext): Kysely<SignupTables> {
  return ledger.store.db<SignupTables>();
}

/**
 * Runs `work` with the activity locked; undefined when there is no such activity. The
 * activity's counters are written back before the commit.
 */
export async function withActivityLock<T>(
  ledger: LedgerContext,
  activityId: string,
  work: (locked: LockedActivity) => Promise<T>,
): Promise<{ value: T; notices: number[] } | undefined> {
  const { t } = ledger;
  const postgres = ledger.store.sqlDialect === 'postgres';
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx) => {
      let query = trx.selectFrom(t.activities).selectAll().where('id', '=', activityId);
      if (postgres) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row) return undefined;
      const activity = toActivity(row);
      let nextNumber = activity.nextNumber;
      let nextEvent = activity.nextEvent;
      const now = ledger.now();
      const notices: number[] = [];
      const locked: LockedActivity = {
        trx,
        t,
        activity,
        now,
        takeNumber: () => nextNumber++,
        async audit(entry) {
          await trx
            .insertInto(t.audit)
            .values({
              activity_id: activity.id,
              seq: nextEvent++,
              at: now,
              actor: entry.actor,
              user_id: entry.userId ?? null,
              action: entry.action,
              from_status: entry.from ?? null,
              to_status: entry.to ?? null,
              detail: JSON.stringify(entry.detail ?? {}),
            })
            .execute();
        },
        async notice(n) {
          const seq = nextEvent++;
          await trx
            .insertInto(t.notices)
            .values({
              activity_id: activity.id,
              seq,
              kind: n.kind,
              user_id: n.userId ?? null,
              body: JSON.stringify(n.body),
              created_at: now,
              delivered_at: null,
              attempts: 0,
              claimed_until: null,
            })
            .execute();
          notices.push(seq);
          return seq;
        },
      };
      const value = await work(locked);
      if (nextNumber !== activity.nextNumber || nextEvent !== activity.nextEvent) {
        await trx.updateTable(t.activities).set({ next_number: nextNumber, next_event: nextEvent }).where('id', '=', activity.id).execute();
      }
      return { value, notices };
    });
}
