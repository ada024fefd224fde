/**
 * The learning loop's log: every question the FAQ did not answer outright, once per distinct
 * wording, with how often it was asked. `wecombot faq unanswered` lists it and `wecombot faq
 * promote` turns a row into a phrasing of an entry. A suggestion the customer clicked is
 * remembered on the row: it is the entry the question most likely belongs to.
 */
import { sql, type Kysely } from 'kysely';
import type { AnyTables } from '../../store/store.js';
import { MAX_QUESTION, questionKey, type UnansweredRow } from './unanswered-schema.js';

type Tables = Record<string, UnansweredRow>;

/** PostgreSQL returns bigint as strings. */
function toRow(r: Record<string, unknown>): UnansweredRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    key: String(r.key),
    question: String(r.question),
    count: Number(r.count),
    first_at: Number(r.first_at),
    last_at: Number(r.last_at),
    outcome: r.outcome === 'none' ? 'none' : 'suggest',
    best_id: n(r.best_id),
    clicked_id: n(r.clicked_id),
    promoted_id: n(r.promoted_id),
  };
}

/** Reads and writes the log of one module install (`services.table('unanswered')`). */
export class UnansweredLog {
  constructor(
    private readonly db: () => Kysely<AnyTables>,
    private readonly table: string,
  ) {}

  private q(): Kysely<Tables> {
    return this.db() as unknown as Kysely<Tables>;
  }

  /** Counts one more asking of `question`; returns its key. */
  async record(question: string, outcome: 'suggest' | 'none', bestId: number | null, at: number): Promise<string> {
    const key = questionKey(question);
    if (!key) return key;
    const t = this.table;
    await this.q()
      .insertInto(t)
      .values({
        key,
        question: Array.from(question.trim()).slice(0, MAX_QUESTION).join(''),
        count: 1,
        first_at: at,
        last_at: at,
        outcome,
        best_id: bestId,
        clicked_id: null,
        promoted_id: null,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ count: sql<number>`${sql.ref(`${t}.count`)} + 1`, last_at: at, outcome, best_id: bestId }),
      )
      .execute();
    return key;
  }

  /** Remembers the suggestion clicked after the question `key` was asked. */
  async clicked(key: string, entryId: number): Promise<void> {
    await this.q().updateTable(this.table).set({ clicked_id: entryId }).where('key', '=', key).execute();
  }

  /** Marks a row promoted to an entry (it stays, so the history is kept). */
  async promoted(key: string, entryId: number): Promise<void> {
    await this.q().updateTable(this.table).set({ promoted_id: entryId }).where('key', '=', key).execute();
  }

  /** One row by key. */
  async get(key: string): Promise<UnansweredRow | undefined> {
    const row = await this.q().selectFrom(this.table).selectAll().where('key', '=', key).executeTakeFirst();
    return row ? toRow(row as unknown as Record<string, unknown>) : undefined;
  }

  /** The most asked rows first; promoted ones only with `all`. */
  async list(options: { limit?: number; all?: boolean } = {}): Promise<UnansweredRow[]> {
    let query = this.q().selectFrom(this.table).selectAll();
    if (!options.all) query = query.where('promoted_id', 'is', null);
    const rows = await query
      .orderBy('count', 'desc')
      .orderBy('last_at', 'desc')
      .limit(options.limit ?? 50)
      .execute();
    return rows.map((r) => toRow(r as unknown as Record<string, unknown>));
  }
}
