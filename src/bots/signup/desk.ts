/**
 * The sign-up desk: every operation of the bot on its ledger, each one transaction under the
 * activity's lock, with the announcements it causes queued in the same transaction. Handlers,
 * the sweep job, the emulator and the CLI all go through here.
 */
import type { Store } from '../../store/store.js';
import type { ActivityDefinition, SignupConfig } from './config.js';
import { changedColumns, createChatActivity, findActivity, insertConfigActivity, upcomingActivities } from './ledger/activities.js';
import { withActivityLock, type LedgerContext, type LockedActivity } from './ledger/locked.js';
import type { Activity, Signup } from './ledger/rows.js';
import {
  cancelIn,
  confirmOfferIn,
  expireOffersIn,
  promoteIn,
  signUpIn,
  type CancelResult,
  type ConfirmResult,
  type SignUpRequest,
  type SignUpResult,
} from './ledger/seats.js';
import { signupTableNames } from './ledger/schema.js';
import { offerNotice, reminderNotice, type Voice } from './messages.js';

/** The button namespace of the module (its name). */
export const NAMESPACE = 'signup';

/** An operation's result and the notices (sequence numbers) it queued for its activity. */
export interface Done<T> {
  activity: Activity;
  result: T;
  notices: number[];
}

export class SignupDesk {
  readonly ledger: LedgerContext;
  readonly voice: Voice;
  readonly #config: SignupConfig;
  #synced: Promise<void> | undefined;

  constructor(store: Store, table: (name: string) => string, config: SignupConfig) {
    this.ledger = { store, t: signupTableNames(table), now: config.now };
    this.voice = { timezone: config.timezone, now: config.now };
    this.#config = config;
  }

  /**
   * Brings the config's activities into the ledger, once per process (and again after a
   * failure). Lazy, so a cold start serving a URL check or a timer does not pay for it.
   */
  ready(): Promise<void> {
    this.#synced ??= this.#sync(this.#config.activities).catch((err: unknown) => {
      this.#synced = undefined;
      throw err;
    });
    return this.#synced;
  }

  async #sync(defs: readonly ActivityDefinition[]): Promise<void> {
    for (const def of defs) {
      if (await insertConfigActivity(this.ledger, def)) continue;
      // Unchanged (every start but the first after an edit): no lock, no write.
      const current = await findActivity(this.ledger, def.id);
      if (current && Object.keys(changedColumns(current, def)).length === 0) continue;
      await this.#locked(def.id, async (l) => {
        const changed = changedColumns(l.activity, def);
        if (Object.keys(changed).length === 0) return;
        await l.trx.updateTable(l.t.activities).set(changed).where('id', '=', def.id).execute();
        await l.audit({ actor: 'config', action: 'update', detail: { changed: Object.keys(changed) } });
        // A capacity raised in the config gives seats to the waitlist.
        if (changed.capacity !== undefined) await this.#promote({ ...l, activity: { ...l.activity, capacity: def.capacity } });
      });
    }
  }

  find(id: string): Promise<Activity | undefined> {
    return findActivity(this.ledger, id);
  }

  create(def: Omit<ActivityDefinition, 'id'>, by: string): Promise<Activity> {
    return createChatActivity(this.ledger, def, by);
  }

  signUp(activityId: string, request: SignUpRequest): Promise<Done<SignUpResult> | undefined> {
    return this.#locked(activityId, (l) => signUpIn(l, request));
  }

  /** Cancels (or declines an offer), and offers the freed seats to the waitlist. */
  cancel(activityId: string, userId: string, actor = userId): Promise<Done<CancelResult> | undefined> {
    return this.#locked(activityId, async (l) => {
      const result = await cancelIn(l, userId, actor);
      if (result.kind === 'cancelled' && result.freed) await this.#promote(l);
      return result;
    });
  }

  /** A promoted member confirms; an offer found expired is passed to the next in line. */
  confirm(activityId: string, userId: string): Promise<Done<ConfirmResult> | undefined> {
    return this.#locked(activityId, async (l) => {
      const result = await confirmOfferIn(l, userId);
      if (result.kind === 'expired') await this.#promote(l);
      return result;
    });
  }

  /** Staff: a new capacity. Raising it offers seats to the waitlist; lowering it removes nobody. */
  resize(activityId: string, capacity: number, actor: string): Promise<Done<Signup[]> | undefined> {
    return this.#locked(activityId, async (l) => {
      await l.trx.updateTable(l.t.activities).set({ capacity }).where('id', '=', activityId).execute();
      await l.audit({ actor, action: 'resize', detail: { from: l.activity.capacity, to: capacity } });
      return this.#promote({ ...l, activity: { ...l.activity, capacity } });
    });
  }

  /** Staff: no more sign-ups (those made stay, cancellations and promotions go on). */
  close(activityId: string, actor: string): Promise<Done<boolean> | undefined> {
    return this.#locked(activityId, async (l) => {
      if (l.activity.status === 'closed') return false;
      await l.trx.updateTable(l.t.activities).set({ status: 'closed' }).where('id', '=', activityId).execute();
      await l.audit({ actor, action: 'close' });
      return true;
    });
  }

  /**
   * The sweep's work on every activity not yet started: expire offers past their deadline
   * (the next in line is asked), and queue the reminders that are due.
   */
  async sweep(): Promise<{ expired: number; offered: number; reminders: number }> {
    await this.ready();
    const now = this.ledger.now();
    const totals = { expired: 0, offered: 0, reminders: 0 };
    for (const activity of await upcomingActivities(this.ledger, now)) {
      await this.#locked(activity.id, async (l) => {
        const expired = await expireOffersIn(l);
        totals.expired += expired.length;
        if (expired.length) totals.offered += (await this.#promote(l)).length;
        if (await this.#queueReminder(l)) totals.reminders += 1;
      });
    }
    return totals;
  }

  /**
   * Queues the reminder due now, once: every lead time whose moment has come is claimed, but
   * only the nearest is sent (after an outage, a 24 h reminder an hour before the start would
   * be wrong).
   */
  async #queueReminder(l: LockedActivity): Promise<boolean> {
    const { activity, now } = l;
    const due = this.#config.reminders.filter((lead) => now >= activity.startsAt - lead && now < activity.startsAt);
    if (due.length === 0) return false;
    const claimed: number[] = [];
    for (const lead of due) {
      const result = await l.trx
        .insertInto(l.t.reminders)
        .values({ activity_id: activity.id, lead_ms: lead, sent_at: now })
        .onConflict((oc) => oc.columns(['activity_id', 'lead_ms']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 1) claimed.push(lead);
    }
    const nearest = Math.min(...due);
    if (!claimed.includes(nearest)) return false;
    const members = await l.trx
      .selectFrom(l.t.signups)
      .select('user_id')
      .where('activity_id', '=', activity.id)
      .where('status', '=', 'confirmed')
      .orderBy('number')
      .execute();
    if (members.length === 0) return false;
    await l.notice({
      kind: 'reminder',
      body: reminderNotice(
        this.voice,
        activity,
        nearest,
        members.map((m) => m.user_id),
      ),
    });
    await l.audit({ actor: 'system', action: 'remind', detail: { leadMs: nearest, members: members.length } });
    return true;
  }

  #promote(l: LockedActivity): Promise<Signup[]> {
    return promoteIn(l, (signup) => offerNotice(this.voice, l.activity, signup, NAMESPACE));
  }

  async #locked<T>(activityId: string, work: (l: LockedActivity) => Promise<T>): Promise<Done<T> | undefined> {
    const done = await withActivityLock(this.ledger, activityId, async (l) => ({ activity: l.activity, result: await work(l) }));
    return done ? { activity: done.value.activity, result: done.value.result, notices: done.notices } : undefined;
  }
}
