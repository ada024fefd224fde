/**
 * The table of the learning loop's log (see unanswered.ts): its row, its migrations and the
 * key of a question. Apart from the log itself so that installing the module does not load
 * the query builder's helpers before a question goes unanswered.
 */
import type { ModuleMigration } from '../../bot/module.js';
import { normalize } from '../../search/text/normalize.js';

/** A row of the log. Times are epoch ms. */
export interface UnansweredRow {
  /** The question normalized (case, width, spaces, end punctuation): one row per wording. */
  key: string;
  /** The question as first asked. */
  question: string;
  count: number;
  first_at: number;
  last_at: number;
  /** `suggest` when suggestions were shown, `none` when nothing was close. */
  outcome: 'suggest' | 'none';
  /** The closest entry when it was last asked, or null. */
  best_id: number | null;
  /** The suggestion the customer clicked afterwards, or null. */
  clicked_id: number | null;
  /** The entry it was promoted to, or null. */
  promoted_id: number | null;
}

/** Longest question kept (characters): a pasted log is not a question. */
export const MAX_QUESTION = 200;

export const UNANSWERED_TABLE = 'unanswered';

export const unansweredMigrations: readonly ModuleMigration[] = [
  {
    name: 'unanswered_1',
    async up(db, table) {
      const t = table(UNANSWERED_TABLE);
      await db.schema
        .createTable(t)
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('first_at', 'bigint', (c) => c.notNull())
        .addColumn('last_at', 'bigint', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('best_id', 'integer')
        .addColumn('clicked_id', 'integer')
        .addColumn('promoted_id', 'integer')
        .execute();
      await db.schema.createIndex(`${t}_count`).ifNotExists().on(t).columns(['count']).execute();
    },
  },
];

/** The row key of a question. */
export function questionKey(question: string): string {
  return Array.from(
    normalize(question)
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/[?？!！。.~～\s]+$/u, ''),
  )
    .slice(0, MAX_QUESTION)
    .join('');
}
