/**
 * Activities: made in chat by staff (`A1`, `A2`…) or written in the config (kept in step with
 * it at start), found by id or by chat.
 */
import type { ActivityDefinition } from '../config.js';
import { ledgerDb, type LedgerContext } from './locked.js';
import { toActivity, type Activity } from './rows.js';
import type { ActivityRow } from './schema.js';

export function definitionColumns(def: ActivityDefinition) {
  return {
    chat_id: def.chatId ?? null,
    title: def.title,
    starts_at: def.startsAt,
    capacity: def.capacity,
    deadline_at: def.deadlineAt,
    cancel_by: def.cancelBy,
    fields: JSON.stringify(def.fields),
    offer_ms: def.offerMs,
  };
}

/**
 * Creates a config activity when it is new (with its audit entry); true when it was. An
 * existing one is brought in step by the desk, under its lock (a capacity raised in the config
 * promotes from the waitlist).
 */
export async function insertConfigActivity(ledger: LedgerContext, def: ActivityDefinition): Promise<boolean> {
  const now = ledger.now();
  const row: ActivityRow = {
    id: def.id,
    seq: null,
    ...definitionColumns(def),
    status: 'open',
    source: 'config',
    created_by: 'config',
    created_at: now,
    next_number: 1,
    next_event: 2,
    webhook_url: null,
  };
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx) => {
      const result = await trx
        .insertInto(ledger.t.activities)
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await trx
        .insertInto(ledger.t.audit)
        .values({
          activity_id: def.id,
          seq: 1,
          at: now,
          actor: 'config',
          user_id: null,
          action: 'create',
          from_status: null,
          to_status: null,
          detail: JSON.stringify({ capacity: def.capacity, startsAt: def.startsAt }),
        })
        .execute();
      return true;
    });
}

/** The columns of `def` that differ from `activity` (what a config change updates). */
export function changedColumns(activity: Activity, def: ActivityDefinition): Partial<ReturnType<typeof definitionColumns>> {
  const wanted = definitionColumns(def);
  const current = definitionColumns({ ...activity, id: activity.id, chatId: activity.chatId });
  const changed: Record<string, unknown> = {};
  for (const key of Object.keys(wanted) as (keyof typeof wanted)[]) if (wanted[key] !== current[key]) changed[key] = wanted[key];
  return changed as Partial<ReturnType<typeof definitionColumns>>;
}

/**
 * Creates an activity made in chat, numbered `A<n>`. Two staff members creating at once on
 * PostgreSQL may pick the same n; the loser's insert does nothing and it takes the next.
 */
export async function createChatActivity(ledger: LedgerContext, def: Omit<ActivityDefinition, 'id'>, createdBy: string): Promise<Activity> {
  const db = ledgerDb(ledger);
  for (let attempt = 0; attempt < 5; attempt++) {
    const top = await db
      .selectFrom(ledger.t.activities)
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    const seq = Number(top?.seq ?? 0) + 1 + attempt;
    const now = ledger.now();
    const row: ActivityRow = {
      id: `A${seq}`,
      seq,
      ...definitionColumns({ ...def, id: `A${seq}` }),
      status: 'open',
      source: 'chat',
      created_by: createdBy,
      created_at: now,
      next_number: 1,
      next_event: 2,
      webhook_url: null,
    };
    const inserted = await db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto(ledger.t.activities)
        .values(row)
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await trx
        .insertInto(ledger.t.audit)
        .values({
          activity_id: row.id,
          seq: 1,
          at: now,
          actor: createdBy,
          user_id: null,
          action: 'create',
          from_status: null,
          to_status: null,
          detail: JSON.stringify({ capacity: def.capacity, startsAt: def.startsAt }),
        })
        .execute();
      return true;
    });
    if (inserted) return toActivity(row);
  }
  throw new Error('could not number the new activity (five concurrent creations)');
}

export async function findActivity(ledger: LedgerContext, id: string): Promise<Activity | undefined> {
  const row = await ledgerDb(ledger).selectFrom(ledger.t.activities).selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toActivity(row) : undefined;
}

/**
 * The activities a chat shows: its own and those of the config without a chat, not yet
 * started, soonest first. Closed ones are included (a member may still cancel or ask).
 */
export async function chatActivities(ledger: LedgerContext, chatId: string): Promise<Activity[]> {
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.activities)
    .selectAll()
    .where((eb) => eb.or([eb('chat_id', '=', chatId), eb('chat_id', 'is', null)]))
    .where('starts_at', '>', ledger.now())
    .orderBy('starts_at')
    .limit(20)
    .execute();
  return rows.map(toActivity);
}

/** Every activity not yet started (the sweep's work list). */
export async function upcomingActivities(ledger: LedgerContext, since: number): Promise<Activity[]> {
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.activities)
    .selectAll()
    .where('starts_at', '>', since)
    .orderBy('starts_at')
    .execute();
  return rows.map(toActivity);
}

/** Remembers the webhook of the activity's chat (from a callback), for later announcements. */
export async function rememberWebhook(ledger: LedgerContext, activity: Activity, webhookUrl: string): Promise<void> {
  if (activity.webhookUrl === webhookUrl) return;
  await ledgerDb(ledger).updateTable(ledger.t.activities).set({ webhook_url: webhookUrl }).where('id', '=', activity.id).execute();
}
