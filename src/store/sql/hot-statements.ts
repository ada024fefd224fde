import { createHash } from 'node:crypto';
import type { SqlDialect } from '../store.js';
import { CLAIM_DONE } from '../validate.js';
import { tableNames } from './internal-tables.js';

/**
 * The store primitives every callback and push runs (de-duplication claims, key-value, counters,
 * locks), as SQL text written once. The engines prepare each text once per connection
 * (better-sqlite3 statements; named `pg` statements), so a request costs a parameter bind and
 * the round trip, not a query build: Kysely's builder, compiler and row parsing were most of
 * the CPU of a SQLite callback. Kysely stays for migrations, `db()`, slots and sweeps.
 *
 * Templates use `$1…$n` for parameters and `{now}` for "now" in epoch ms. SQLite gets one
 * anonymous `?` per occurrence (better-sqlite3 does not bind numbered `?NNN` from a list) with
 * `order` saying which parameter goes where, the machine clock being parameter n+1;
 * PostgreSQL gets the server clock, which every instance shares (statement_timestamp is fixed
 * for the statement, so every `{now}` in it agrees). Both engines support
 * `INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING`, which makes each primitive a single
 * atomic statement.
 */
export interface HotStatement {
  /** The PostgreSQL prepared statement's name: the operation and a digest of the text (so of the namespace). */
  readonly name: string;
  readonly text: string;
  /** Parameters the caller passes (the SQLite clock parameter is added by the engine). */
  readonly arity: number;
  /**
   * SQLite only: for each `?` in order, the index of its value in `[...params, now]`.
   * Empty for PostgreSQL, whose `$n` bind the caller's parameters as given.
   */
  readonly order: readonly number[];
  /** True when it returns rows (RETURNING or SELECT); otherwise the engine reports changed rows. */
  readonly returnsRows: boolean;
}

const PG_NOW = '(extract(epoch from statement_timestamp()) * 1000)::bigint';

/** Writes a template for one dialect. */
export function compileTemplate(dialect: SqlDialect, template: string, arity: number): { text: string; order: number[] } {
  if (dialect === 'postgres') return { text: template.replaceAll('{now}', PG_NOW), order: [] };
  const order: number[] = [];
  const text = template.replace(/\$(\d+)|\{now\}/g, (_, n: string | undefined) => {
    order.push(n === undefined ? arity : Number(n) - 1);
    return '?';
  });
  return { text, order };
}

export type HotStatementName = keyof ReturnType<typeof hotTemplates>;

function hotTemplates(namespace: string) {
  const t = tableNames(namespace);
  const kv = `"${t.kv}"`;
  const counters = `"${t.counters}"`;
  const locks = `"${t.locks}"`;
  // An absent TTL is a null parameter: `now + null` is null, which is "never expires".
  const expiry = (p: number) => `{now} + cast($${p} as bigint)`;
  return {
    get: { arity: 1, text: `select value from ${kv} where key = $1 and (expires_at is null or expires_at > {now})` },
    set: {
      arity: 3,
      text: `insert into ${kv} (key, value, expires_at) values ($1, $2, ${expiry(3)})
        on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at`,
    },
    delete: {
      arity: 1,
      text: `delete from ${kv} where key = $1 returning (expires_at is null or expires_at > {now}) as live`,
    },
    // The fast paths of setIfAbsent, claim and acquireLock: a key nobody holds (every fresh
    // MsgId) is one plain insert, the statement a bare driver call runs. Only when a row is
    // there (a duplicate, an expired row, our own lease renewed) does the caller run the full
    // upsert below. The upsert with CASE and RETURNING costs measurably more per call (SQLite:
    // ~30 % of a claim and its completion), so the common case should not pay for the rare one.
    insertFresh: {
      arity: 3,
      text: `insert into ${kv} (key, value, expires_at) values ($1, $2, ${expiry(3)}) on conflict (key) do nothing`,
    },
    lockFresh: {
      arity: 3,
      text: `insert into ${locks} (name, owner, expires_at) values ($1, $2, ${expiry(3)}) on conflict (name) do nothing`,
    },
    // A row comes back only when this call wrote (fresh insert, or an expired row replaced).
    setIfAbsent: {
      arity: 3,
      text: `insert into ${kv} (key, value, expires_at) values ($1, $2, ${expiry(3)})
        on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
        where ${kv}.expires_at <= {now}
        returning 1 as won`,
    },
    // Always returns the value now stored: ours when claimed (fresh, expired, or our own lease
    // extended), otherwise the live claim or completion that stays. The no-op update on a
    // duplicate costs a row version, but only duplicates pay it, and it saves a second read.
    claim: {
      arity: 3,
      text: `insert into ${kv} (key, value, expires_at) values ($1, $2, ${expiry(3)})
        on conflict (key) do update set
          value = case when ${kv}.expires_at <= {now} or ${kv}.value = excluded.value then excluded.value else ${kv}.value end,
          expires_at = case when ${kv}.expires_at <= {now} or ${kv}.value = excluded.value then excluded.expires_at else ${kv}.expires_at end
        returning value`,
    },
    // $2 = this owner's running value. Done when it is ours, or lapsed and nobody took it: the
    // row is there in the common case, so a plain update; no row changed (it was swept, or
    // another owner holds it) falls back to completeClaim, which inserts or refuses.
    completeOwn: {
      arity: 3,
      text: `update ${kv} set value = '${CLAIM_DONE}', expires_at = ${expiry(3)} where key = $1 and (value = $2 or expires_at <= {now})`,
    },
    completeClaim: {
      arity: 3,
      text: `insert into ${kv} (key, value, expires_at) values ($1, '${CLAIM_DONE}', ${expiry(3)})
        on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at
        where ${kv}.expires_at <= {now} or ${kv}.value = $2
        returning 1 as ok`,
    },
    releaseClaim: { arity: 2, text: `delete from ${kv} where key = $1 and value = $2 and expires_at > {now}` },
    incr: {
      arity: 3,
      text: `insert into ${counters} (key, count, expires_at) values ($1, cast($2 as bigint), ${expiry(3)})
        on conflict (key) do update set
          count = case when ${counters}.expires_at <= {now} then excluded.count else ${counters}.count + excluded.count end,
          expires_at = case when ${counters}.expires_at <= {now} then excluded.expires_at else ${counters}.expires_at end
        returning count`,
    },
    acquireLock: {
      arity: 3,
      text: `insert into ${locks} (name, owner, expires_at) values ($1, $2, ${expiry(3)})
        on conflict (name) do update set owner = excluded.owner, expires_at = excluded.expires_at
        where ${locks}.expires_at <= {now} or ${locks}.owner = excluded.owner
        returning 1 as won`,
    },
    renewLock: {
      arity: 3,
      text: `update ${locks} set expires_at = ${expiry(3)} where name = $1 and owner = $2 and expires_at > {now}`,
    },
    releaseLock: { arity: 2, text: `delete from ${locks} where name = $1 and owner = $2 and expires_at > {now}` },
  } satisfies Record<string, { arity: number; text: string }>;
}

/** Every hot statement of a namespace, compiled for one dialect. */
export function hotStatements(dialect: SqlDialect, namespace: string): Record<HotStatementName, HotStatement> {
  const templates = hotTemplates(namespace);
  const out = {} as Record<HotStatementName, HotStatement>;
  for (const [key, { arity, text }] of Object.entries(templates) as [HotStatementName, { arity: number; text: string }][]) {
    const compact = text.replace(/\s+/g, ' ');
    const { text: compiled, order } = compileTemplate(dialect, compact, arity);
    out[key] = {
      // PostgreSQL names are at most 63 bytes; a namespace may be long.
      name: `wecombot_${key}_${createHash('sha256').update(compiled).digest('hex').slice(0, 16)}`,
      text: compiled,
      arity,
      order,
      returnsRows: /\breturning\b|^select\b/i.test(compact),
    };
  }
  return out;
}
