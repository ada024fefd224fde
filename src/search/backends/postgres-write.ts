import { FIELD_COUNT } from '../core/fields.js';
import { countFieldTerms, type FieldTerms } from '../core/kb-index.js';
import type { Page, Section } from '../types.js';
import type { PgTables } from './postgres-schema.js';

/** Runs one statement inside the caller's transaction. */
export type RunQuery = <R extends object>(sql: string, params: unknown[]) => Promise<R[]>;

const BATCH = 20000;

/**
 * Writes pages (already removed by path) into the knowledge-base tables with multi-row
 * `unnest` inserts: pages, then sections with their field lengths, then postings carrying
 * their section's page and lengths, then document-frequency increments of the terms.
 */
export async function insertPages(
  query: RunQuery,
  t: PgTables,
  pages: readonly Page[],
  /** Digest of each page (see page-digest.ts), in the same order. */
  digests: readonly string[],
  terms: (section: Section, page: Page) => FieldTerms,
  onPage?: (done: number) => void,
): Promise<void> {
  const pageRows = await query<{ id: number; path: string }>(
    `INSERT INTO ${t.pages} (path, title, url, digest) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) RETURNING id, path`,
    [pages.map((p) => p.path), pages.map((p) => p.title), pages.map((p) => p.url), digests],
  );
  const pageId = new Map(pageRows.map((r) => [r.path, r.id]));
  const sectionTotal = pages.reduce((a, p) => a + p.sections.length, 0);
  const ids = (
    await query<{ id: string }>(`SELECT nextval('${t.sectionIds.replace(/'/g, "''")}') AS id FROM generate_series(1, $1)`, [sectionTotal])
  ).map((r) => Number(r.id));
  const sec = {
    id: [] as number[],
    page: [] as number[],
    ord: [] as number[],
    heading: [] as string[],
    anchor: [] as string[],
    body: [] as string[],
    lens: [[], [], [], []] as number[][],
  };
  let post = {
    term: [] as string[],
    id: [] as number[],
    page: [] as number[],
    tf: [[], [], [], []] as number[][],
    len: [[], [], [], []] as number[][],
  };
  const dfDelta = new Map<string, number>();
  const flushPostings = async () => {
    if (post.term.length === 0) return;
    await query(
      `INSERT INTO ${t.postings} (term, section_id, page_id, tf_title, tf_heading, tf_context, tf_body, len_title, len_heading, len_context, len_body)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::smallint[], $5::smallint[], $6::smallint[], $7::smallint[],
                            $8::int[], $9::int[], $10::int[], $11::int[])`,
      [post.term, post.id, post.page, ...post.tf, ...post.len],
    );
    post = { term: [], id: [], page: [], tf: [[], [], [], []], len: [[], [], [], []] };
  };
  const flushSections = async () => {
    if (sec.id.length === 0) return;
    await query(
      `INSERT INTO ${t.sections} (id, page_id, ord, heading, anchor, body, len_title, len_heading, len_context, len_body)
       SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[], $10::int[])`,
      [sec.id, sec.page, sec.ord, sec.heading, sec.anchor, sec.body, ...sec.lens],
    );
    for (const k of ['id', 'page', 'ord', 'heading', 'anchor', 'body'] as const) sec[k].length = 0;
    for (const l of sec.lens) l.length = 0;
  };
  let next = 0;
  let done = 0;
  for (const page of pages) {
    page.sections.forEach((section, ord) => {
      const id = ids[next++]!;
      const { lengths, counts } = countFieldTerms(terms(section, page));
      sec.id.push(id);
      sec.page.push(pageId.get(page.path)!);
      sec.ord.push(ord);
      sec.heading.push(section.heading);
      sec.anchor.push(section.anchor);
      sec.body.push(section.text);
      for (let f = 0; f < FIELD_COUNT; f++) sec.lens[f]!.push(lengths[f]!);
      for (const [term, c] of counts) {
        post.term.push(term);
        post.id.push(id);
        post.page.push(pageId.get(page.path)!);
        for (let f = 0; f < FIELD_COUNT; f++) {
          post.tf[f]!.push(Math.min(c[f]!, 32767));
          post.len[f]!.push(lengths[f]!);
        }
        dfDelta.set(term, (dfDelta.get(term) ?? 0) + 1);
      }
    });
    // Sections first: postings of a section must never outlive it if a batch fails.
    if (sec.id.length >= 2000) await flushSections();
    if (post.term.length >= BATCH) {
      await flushSections();
      await flushPostings();
    }
    onPage?.(++done);
  }
  await flushSections();
  await flushPostings();
  const dfTerms = [...dfDelta.keys()];
  for (let i = 0; i < dfTerms.length; i += BATCH) {
    const chunk = dfTerms.slice(i, i + BATCH);
    await query(
      `INSERT INTO ${t.terms} (term, df) SELECT * FROM unnest($1::text[], $2::int[])
       ON CONFLICT (term) DO UPDATE SET df = ${t.terms}.df + excluded.df`,
      [chunk, chunk.map((k) => dfDelta.get(k)!)],
    );
  }
}
