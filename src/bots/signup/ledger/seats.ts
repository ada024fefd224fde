/**
 * Seats, inside the activity's lock (see locked.ts): signing up, cancelling, confirming an
 * offer, expiring offers, and promoting from the waitlist. Each status change writes its audit
 * entry in the same transaction.
 *
 * The rules:
 * - a sign-up takes `party` seats; it is confirmed when that many are free, otherwise it joins
 *   the waitlist (a party is never split);
 * - freed seats are offered to the waitlist in arrival order: the first member whose party
 *   fits gets an offer, to confirm before `offer_until`, and holds the seats meanwhile;
 * - an offer not confirmed in time expires, and the next in line is asked.
 */
import { toSignup, type Signup } from './rows.js';
import type { LockedActivity, NoticeBody } from './locked.js';
import { ACTIVE, HOLDS_SEAT, type SignupStatus } from './schema.js';

/** Seats taken now (confirmed and offered). */
export async function heldSeats(l: LockedActivity): Promise<number> {
  const row = await l.trx
    .selectFrom(l.t.signups)
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('party'), eb.lit(0)).as('held'))
    .where('activity_id', '=', l.activity.id)
    .where('status', 'in', HOLDS_SEAT)
    .executeTakeFirst();
  return Number(row?.held ?? 0);
}

export async function findSignup(l: LockedActivity, userId: string): Promise<Signup | undefined> {
  const row = await l.trx
    .selectFrom(l.t.signups)
    .selectAll()
    .where('activity_id', '=', l.activity.id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? toSignup(row) : undefined;
}

/** 1 for the head of the waitlist. */
export async function waitlistPosition(l: LockedActivity, signup: Signup): Promise<number> {
  const row = await l.trx
    .selectFrom(l.t.signups)
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where('activity_id', '=', l.activity.id)
    .where('status', '=', 'waitlisted')
    .where('number', '<', signup.number)
    .executeTakeFirst();
  return Number(row?.ahead ?? 0) + 1;
}

async function setStatus(l: LockedActivity, signup: Signup, to: SignupStatus, offerUntil: number | null = null): Promise<Signup> {
  await l.trx
    .updateTable(l.t.signups)
    .set({ status: to, offer_until: offerUntil, updated_at: l.now })
    .where('activity_id', '=', signup.activityId)
    .where('user_id', '=', signup.userId)
    .execute();
  return { ...signup, status: to, offerUntil: offerUntil ?? undefined, updatedAt: l.now };
}

export interface SignUpRequest {
  userId: string;
  name: string;
  party: number;
  answers: Record<string, string>;
  /** Who did it (the member, or a staff member signing someone up). */
  actor: string;
}

export type SignUpResult =
  | { kind: 'confirmed'; signup: Signup; held: number }
  | { kind: 'waitlisted'; signup: Signup; position: number }
  | { kind: 'duplicate'; signup: Signup; position: number | undefined }
  | { kind: 'closed' }
  | { kind: 'past-deadline' }
  | { kind: 'party-too-large' };

/** Signs a member up (or answers that they already are). */
export async function signUpIn(l: LockedActivity, request: SignUpRequest): Promise<SignUpResult> {
  const { activity, now } = l;
  const existing = await findSignup(l, request.userId);
  if (existing && ACTIVE.includes(existing.status)) {
    return {
      kind: 'duplicate',
      signup: existing,
      position: existing.status === 'waitlisted' ? await waitlistPosition(l, existing) : undefined,
    };
  }
  if (activity.status === 'closed') return { kind: 'closed' };
  if (now >= activity.deadlineAt) return { kind: 'past-deadline' };
  if (request.party > activity.capacity) return { kind: 'party-too-large' };

  const held = await heldSeats(l);
  const status: SignupStatus = held + request.party <= activity.capacity ? 'confirmed' : 'waitlisted';
  const signup: Signup = {
    activityId: activity.id,
    userId: request.userId,
    number: l.takeNumber(),
    status,
    party: request.party,
    name: request.name,
    answers: request.answers,
    offerUntil: undefined,
    createdAt: now,
    updatedAt: now,
  };
  const row = {
    number: signup.number,
    status,
    party: signup.party,
    name: signup.name,
    answers: JSON.stringify(signup.answers),
    offer_until: null,
    created_at: now,
    updated_at: now,
  };
  // A member who cancelled earlier signs up again on their old row, with a new number.
  if (existing)
    await l.trx.updateTable(l.t.signups).set(row).where('activity_id', '=', activity.id).where('user_id', '=', request.userId).execute();
  else
    await l.trx
      .insertInto(l.t.signups)
      .values({ activity_id: activity.id, user_id: request.userId, ...row })
      .execute();
  await l.audit({
    actor: request.actor,
    userId: request.userId,
    action: 'signup',
    from: existing?.status,
    to: status,
    detail: { number: signup.number, party: signup.party },
  });
  if (status === 'confirmed') return { kind: 'confirmed', signup, held: held + request.party };
  return { kind: 'waitlisted', signup, position: await waitlistPosition(l, signup) };
}

export type CancelResult = { kind: 'cancelled'; signup: Signup; freed: boolean } | { kind: 'not-signed-up' } | { kind: 'past-cut-off' };

/**
 * Cancels a member's sign-up. After the cut-off a seat can no longer be given back (the
 * waitlist could not use it in time); leaving the waitlist is always possible.
 */
export async function cancelIn(
  l: LockedActivity,
  userId: string,
  actor: string,
  options: { ignoreCutOff?: boolean } = {},
): Promise<CancelResult> {
  const signup = await findSignup(l, userId);
  if (!signup || !ACTIVE.includes(signup.status)) return { kind: 'not-signed-up' };
  const holds = HOLDS_SEAT.includes(signup.status);
  if (holds && signup.status === 'confirmed' && l.now >= l.activity.cancelBy && !options.ignoreCutOff) return { kind: 'past-cut-off' };
  // An offer turned down is "declined", so the audit tells it from a cancellation.
  const to: SignupStatus = signup.status === 'offered' ? 'declined' : 'cancelled';
  const next = await setStatus(l, signup, to);
  await l.audit({
    actor,
    userId,
    action: to === 'declined' ? 'decline' : 'cancel',
    from: signup.status,
    to,
    detail: { number: signup.number, party: signup.party },
  });
  return { kind: 'cancelled', signup: next, freed: holds };
}

export type ConfirmResult =
  { kind: 'confirmed'; signup: Signup } | { kind: 'already'; signup: Signup } | { kind: 'expired' } | { kind: 'no-offer' };

/** The promoted member confirms the offered seat before its deadline. */
export async function confirmOfferIn(l: LockedActivity, userId: string): Promise<ConfirmResult> {
  const signup = await findSignup(l, userId);
  if (!signup) return { kind: 'no-offer' };
  if (signup.status === 'confirmed') return { kind: 'already', signup };
  if (signup.status === 'expired') return { kind: 'expired' };
  if (signup.status !== 'offered') return { kind: 'no-offer' };
  // Past the deadline the offer is void even if the sweep has not expired it yet.
  if (signup.offerUntil !== undefined && l.now >= signup.offerUntil) {
    await expireOne(l, signup);
    return { kind: 'expired' };
  }
  const next = await setStatus(l, signup, 'confirmed');
  await l.audit({ actor: userId, userId, action: 'confirm', from: 'offered', to: 'confirmed', detail: { number: signup.number } });
  return { kind: 'confirmed', signup: next };
}

async function expireOne(l: LockedActivity, signup: Signup): Promise<void> {
  await setStatus(l, signup, 'expired');
  await l.audit({
    actor: 'system',
    userId: signup.userId,
    action: 'expire',
    from: 'offered',
    to: 'expired',
    detail: { number: signup.number, offerUntil: signup.offerUntil },
  });
}

/** Expires the offers past their deadline; returns them (their seats are to be offered again). */
export async function expireOffersIn(l: LockedActivity): Promise<Signup[]> {
  const rows = await l.trx
    .selectFrom(l.t.signups)
    .selectAll()
    .where('activity_id', '=', l.activity.id)
    .where('status', '=', 'offered')
    .where('offer_until', '<=', l.now)
    .orderBy('number')
    .execute();
  const expired = rows.map(toSignup);
  for (const signup of expired) await expireOne(l, signup);
  return expired;
}

/**
 * Offers the free seats to the waitlist, in arrival order (the first whose party fits). Each
 * offer is announced through `announce`, in the same transaction. Nothing is offered once the
 * activity has started.
 */
export async function promoteIn(l: LockedActivity, announce: (signup: Signup) => NoticeBody): Promise<Signup[]> {
  const { activity, now } = l;
  if (now >= activity.startsAt) return [];
  let free = activity.capacity - (await heldSeats(l));
  if (free <= 0) return [];
  const waiting = await l.trx
    .selectFrom(l.t.signups)
    .selectAll()
    .where('activity_id', '=', activity.id)
    .where('status', '=', 'waitlisted')
    .orderBy('number')
    .execute();
  const offered: Signup[] = [];
  for (const row of waiting) {
    if (free <= 0) break;
    const signup = toSignup(row);
    if (signup.party > free) continue;
    free -= signup.party;
    const offerUntil = Math.min(now + activity.offerMs, activity.startsAt);
    const next = await setStatus(l, signup, 'offered', offerUntil);
    await l.audit({
      actor: 'system',
      userId: signup.userId,
      action: 'offer',
      from: 'waitlisted',
      to: 'offered',
      detail: { number: signup.number, party: signup.party, offerUntil },
    });
    await l.notice({ kind: 'offer', userId: signup.userId, body: announce(next) });
    offered.push(next);
  }
  return offered;
}
