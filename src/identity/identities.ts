/**
 * One customer identity across the ids WeCom and the customer give: the external_userid, the
 * unionid, a mobile, and the staff members who have the customer. Ready-made bots key their
 * state on `identity.id`, which stays valid when identities merge.
 *
 * Merge rules, applied by `link` in one serialized transaction:
 * 1. Each key value (an external_userid, a unionid, a mobile) belongs to one identity.
 * 2. Strong keys (external_userid, unionid) name one customer: every identity a link's strong
 *    keys find is merged into the oldest of them. A merged identity keeps its row with
 *    `merged_into`, so `find({ id })` with its old id gives the survivor.
 * 3. A mobile is weak (shared by a family, mistyped): an identity found only by a mobile is
 *    merged only when it has no strong key of its own (one made from a lead form, say);
 *    otherwise the mobile stays where it is and is not added to the linked identity.
 * 4. Staff links add up: a customer followed by several staff members lists them all.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Store } from '../store/store.js';
import { checkId, IdentityError, isStrong, keyPairs, type IdentityKeys } from './keys.js';
import { identityMigrations, identityTableNames, type IdentityKeyKind, type IdentityTableNames, type IdentityTables } from './schema.js';

/** A customer as the identity tables know them. */
export interface CustomerIdentity {
  /** Stable id to key state on (a merged identity's old id still finds this one). */
  id: string;
  externalUserIds: string[];
  unionIds: string[];
  mobiles: string[];
  /** Staff userids who have this customer among their contacts. */
  staffUserIds: string[];
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/** What `link` records: keys of one customer and, optionally, the staff member who has them. */
export interface LinkInput extends IdentityKeys {
  /** The staff userid (`UserID` of customer:add). */
  staffUserId?: string;
}

/** Exactly one key to look an identity up by. */
export type FindBy = { id: string } | { externalUserId: string } | { unionId: string } | { mobile: string };

export interface Identities {
  /**
   * Records that these keys (and the staff member) belong to one customer, merging identities
   * as the rules above say. Resolves with the identity as it is afterwards.
   *
   * @example
   * const who = await identities.link({ externalUserId: 'wmX', staffUserId: 'zhangsan' });
   * await identities.link({ externalUserId: 'wmX', mobile: '13800138000' }); // same who.id
   * @throws IdentityError for a malformed key, or when no key is given
   */
  link(input: LinkInput): Promise<CustomerIdentity>;
  /**
   * The identity a key belongs to, or undefined.
   *
   * @example await identities.find({ mobile: '+86 138 0013 8000' })
   */
  find(by: FindBy): Promise<CustomerIdentity | undefined>;
}

export interface IdentitiesOptions {
  /** Epoch ms; default Date.now. */
  now?: () => number;
}

type Db = Kysely<IdentityTables>;

/**
 * Opens the identity tables of `store` (migrating them once per store) and returns the API.
 *
 * @example
 * const identities = await openIdentities(store);
 * const customer = await identities.find({ externalUserId: ctx.message.externalUserId });
 */
export async function openIdentities(store: Store, options: IdentitiesOptions = {}): Promise<Identities> {
  await store.migrate(identityMigrations(store.namespace));
  const db = store.db<IdentityTables>();
  const t = identityTableNames(store.namespace);
  const now = options.now ?? Date.now;
  // SQLite transactions begin IMMEDIATE (the store's dialect): one writer at a time. On
  // PostgreSQL an advisory lock serializes links, so two instances linking the same new
  // customer cannot both create it, and merges never interleave.
  const lockId = `${store.namespace}:identity`;
  const serialize = async (trx: Transaction<IdentityTables>) => {
    if (store.sqlDialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${lockId}, 0))`.execute(trx);
  };
  return {
    async link(input) {
      const pairs = keyPairs(input);
      if (pairs.length === 0)
        throw new IdentityError('link needs externalUserId, unionId or mobile', { hint: 'a staff userid alone names no customer' });
      const staff = input.staffUserId === undefined ? undefined : checkId(input.staffUserId, 'staffUserId');
      const id = await db.transaction().execute(async (trx) => {
        await serialize(trx);
        return linkIn(trx, t, pairs, staff, now());
      });
      return (await read(db, t, id)) as CustomerIdentity;
    },
    async find(by) {
      if ('id' in by) return read(db, t, await resolve(db, t, by.id));
      const [pair] = keyPairs(by);
      if (!pair) return undefined;
      const row = await db
        .selectFrom(t.identity_key)
        .select('identity_id')
        .where('kind', '=', pair.kind)
        .where('value', '=', pair.value)
        .executeTakeFirst();
      return row ? read(db, t, row.identity_id) : undefined;
    },
  };
}

/** The link itself, inside the serialized transaction; returns the identity's id. */
async function linkIn(
  trx: Db,
  t: IdentityTableNames,
  pairs: { kind: IdentityKeyKind; value: string }[],
  staff: string | undefined,
  at: number,
): Promise<string> {
  const found = await trx
    .selectFrom(t.identity_key)
    .select(['kind', 'value', 'identity_id'])
    .where((eb) => eb.or(pairs.map((p) => eb.and([eb('kind', '=', p.kind), eb('value', '=', p.value)]))))
    .execute();
  const strongIds = new Set(found.filter((r) => isStrong(r.kind)).map((r) => r.identity_id));
  const byStrongKey = pairs.some((p) => isStrong(p.kind));
  const keep = new Set(pairs.map((p) => `${p.kind}:${p.value}`));
  const merging = new Set(strongIds);
  for (const row of found.filter((r) => !isStrong(r.kind))) {
    if (strongIds.has(row.identity_id)) continue;
    // Rule 3: a mobile leads to its owner when nothing stronger was given, and joins the owner
    // to a customer named by a strong key only when the owner has no strong key of its own.
    if (!byStrongKey || !(await hasStrongKey(trx, t, row.identity_id))) merging.add(row.identity_id);
    else keep.delete(`${row.kind}:${row.value}`);
  }

  let target: string;
  if (merging.size === 0) {
    target = randomUUID();
    await trx.insertInto(t.identity).values({ id: target, created_at: at, updated_at: at, merged_into: null }).execute();
  } else {
    const rows = await trx
      .selectFrom(t.identity)
      .select(['id', 'created_at'])
      .where('id', 'in', [...merging])
      .execute();
    rows.sort((a, b) => Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : 1));
    target = (rows[0] as { id: string }).id;
    const others = rows.slice(1).map((r) => r.id);
    if (others.length) await mergeInto(trx, t, target, others, at);
  }

  const owned = new Set(found.map((r) => `${r.kind}:${r.value}`));
  const fresh = pairs.filter((p) => keep.has(`${p.kind}:${p.value}`) && !owned.has(`${p.kind}:${p.value}`));
  if (fresh.length)
    await trx
      .insertInto(t.identity_key)
      .values(fresh.map((p) => ({ ...p, identity_id: target, created_at: at })))
      .execute();
  if (staff) {
    await trx
      .insertInto(t.identity_staff)
      .values({ identity_id: target, user_id: staff, created_at: at })
      .onConflict((oc) => oc.columns(['identity_id', 'user_id']).doNothing())
      .execute();
  }
  await trx.updateTable(t.identity).set({ updated_at: at }).where('id', '=', target).execute();
  return target;
}

async function hasStrongKey(trx: Db, t: IdentityTableNames, id: string): Promise<boolean> {
  const row = await trx
    .selectFrom(t.identity_key)
    .select('kind')
    .where('identity_id', '=', id)
    .where('kind', '!=', 'mobile')
    .executeTakeFirst();
  return row !== undefined;
}

/** Moves keys and staff of `others` to `target` and leaves a forwarding address on each. */
async function mergeInto(trx: Db, t: IdentityTableNames, target: string, others: string[], at: number): Promise<void> {
  await trx.updateTable(t.identity_key).set({ identity_id: target }).where('identity_id', 'in', others).execute();
  const staff = await trx.selectFrom(t.identity_staff).select(['user_id', 'created_at']).where('identity_id', 'in', others).execute();
  if (staff.length) {
    await trx
      .insertInto(t.identity_staff)
      .values(staff.map((s) => ({ identity_id: target, user_id: s.user_id, created_at: Number(s.created_at) })))
      .onConflict((oc) => oc.columns(['identity_id', 'user_id']).doNothing())
      .execute();
    await trx.deleteFrom(t.identity_staff).where('identity_id', 'in', others).execute();
  }
  // Forwarding stays one hop: whatever pointed at a merged identity now points at the target.
  await trx
    .updateTable(t.identity)
    .set({ merged_into: target, updated_at: at })
    .where((eb) => eb.or([eb('id', 'in', others), eb('merged_into', 'in', others)]))
    .execute();
}

/** Follows `merged_into` (one hop, by construction). */
async function resolve(db: Db, t: IdentityTableNames, id: string): Promise<string | undefined> {
  const row = await db.selectFrom(t.identity).select(['id', 'merged_into']).where('id', '=', id).executeTakeFirst();
  return row ? (row.merged_into ?? row.id) : undefined;
}

async function read(db: Db, t: IdentityTableNames, id: string | undefined): Promise<CustomerIdentity | undefined> {
  if (id === undefined) return undefined;
  const row = await db.selectFrom(t.identity).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [keys, staff] = await Promise.all([
    db.selectFrom(t.identity_key).select(['kind', 'value']).where('identity_id', '=', id).orderBy('created_at').orderBy('value').execute(),
    db.selectFrom(t.identity_staff).select('user_id').where('identity_id', '=', id).orderBy('created_at').orderBy('user_id').execute(),
  ]);
  const of = (kind: IdentityKeyKind) => keys.filter((k) => k.kind === kind).map((k) => k.value);
  return {
    id: row.id,
    externalUserIds: of('external_userid'),
    unionIds: of('unionid'),
    mobiles: of('mobile'),
    staffUserIds: staff.map((s) => s.user_id),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
