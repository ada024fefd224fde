import { SearchError } from '../errors.js';

/** Where the knowledge base lives in PostgreSQL: `<schema>.<name>_pages` etc. */
export interface PgTables {
  pages: string;
  sections: string;
  sectionIds: string;
  postings: string;
  terms: string;
  meta: string;
  schema: string | undefined;
  /** Unquoted base name, for index names (which live in the table's schema). */
  name: string;
}

const NAME = /^[a-z_][a-z0-9_]{0,40}$/;

/** Validated, quoted table names for a knowledge-base name (default `wecombot_kb`) and schema. */
export function pgTables(name = 'wecombot_kb', schema?: string): PgTables {
  if (!NAME.test(name)) {
    throw new SearchError('kb_spec', `invalid knowledge-base table name "${name}"`, {
      hint: 'use lower-case letters, digits and _ (at most 41)',
    });
  }
  if (schema !== undefined && !NAME.test(schema)) {
    throw new SearchError('kb_spec', `invalid schema name "${schema}"`, { hint: 'use lower-case letters, digits and _' });
  }
  const q = (t: string) => (schema ? `"${schema}"."${name}_${t}"` : `"${name}_${t}"`);
  return {
    pages: q('pages'),
    sections: q('sections'),
    sectionIds: q('section_ids'),
    postings: q('postings'),
    terms: q('terms'),
    meta: q('meta'),
    schema,
    name,
  };
}

/** DDL creating the tables if they do not exist. Terms use the C collation: exact, fast equality. */
export function createStatements(t: PgTables): string[] {
  return [
    ...(t.schema ? [`CREATE SCHEMA IF NOT EXISTS "${t.schema}"`] : []),
    `CREATE TABLE IF NOT EXISTS ${t.pages} (id serial PRIMARY KEY, path text NOT NULL UNIQUE, title text NOT NULL, url text NOT NULL, digest text NOT NULL DEFAULT '')`,
    // Tables of earlier versions have no digest: their pages count as changed once.
    `ALTER TABLE ${t.pages} ADD COLUMN IF NOT EXISTS digest text NOT NULL DEFAULT ''`,
    `CREATE SEQUENCE IF NOT EXISTS ${t.sectionIds}`,
    `CREATE TABLE IF NOT EXISTS ${t.sections} (
      id integer PRIMARY KEY, page_id integer NOT NULL REFERENCES ${t.pages}(id) ON DELETE CASCADE,
      ord integer NOT NULL, heading text NOT NULL, anchor text NOT NULL, body text NOT NULL,
      len_title integer NOT NULL, len_heading integer NOT NULL, len_context integer NOT NULL, len_body integer NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS "${t.name}_sections_page" ON ${t.sections} (page_id)`,
    // A posting carries its section's page and field lengths (sections never change once
    // written), and the primary key covers every column: a search is one index-only range
    // scan per term, no join, no heap visits.
    `CREATE TABLE IF NOT EXISTS ${t.postings} (
      term text COLLATE "C" NOT NULL, section_id integer NOT NULL, page_id integer NOT NULL,
      tf_title smallint NOT NULL, tf_heading smallint NOT NULL, tf_context smallint NOT NULL, tf_body smallint NOT NULL,
      len_title integer NOT NULL, len_heading integer NOT NULL, len_context integer NOT NULL, len_body integer NOT NULL,
      PRIMARY KEY (term, section_id)
        INCLUDE (page_id, tf_title, tf_heading, tf_context, tf_body, len_title, len_heading, len_context, len_body))`,
    `CREATE INDEX IF NOT EXISTS "${t.name}_postings_section" ON ${t.postings} (section_id)`,
    `CREATE TABLE IF NOT EXISTS ${t.terms} (term text COLLATE "C" PRIMARY KEY, df integer NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.meta} (key text PRIMARY KEY, value jsonb NOT NULL)`,
  ];
}

/** DDL dropping everything {@link createStatements} made (tests, `--drop`). */
export function dropStatements(t: PgTables): string[] {
  return [
    `DROP TABLE IF EXISTS ${t.postings}, ${t.terms}, ${t.sections}, ${t.pages}, ${t.meta}`,
    `DROP SEQUENCE IF EXISTS ${t.sectionIds}`,
  ];
}
