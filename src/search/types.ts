/** Shapes shared by the ingest layer, the engines and the renderer. */

/** One part of a page, between one heading and the next. */
export interface Section {
  /** The heading text ('' for the text before the first heading). */
  heading: string;
  /** Headings from the top of the page down to this one (without the page title). */
  path: string[];
  /** URL fragment of the heading, GitHub-style ('' for the lead section). */
  anchor: string;
  /** Plain text of the section (markup removed, code kept). */
  text: string;
}

/** A parsed page, ready to index. */
export interface Page {
  /** Stable id: the path relative to the indexed folder, with `/` separators. */
  path: string;
  title: string;
  /** Public address of the page, without anchor; '' when unknown. */
  url: string;
  sections: Section[];
}

/** A raw document to parse: what a folder walk or an application hands to `index()`. */
export interface SourceDocument {
  path: string;
  content: string;
  /** Defaults from the path's extension (`.md` markdown, `.html`/`.htm` html, else text). */
  format?: 'markdown' | 'html' | 'text';
  /** Overrides the title found in the content. */
  title?: string;
  /** Overrides the URL from front matter or `baseUrl`. */
  url?: string;
}

/** A highlighted range in a snippet: `[start, end)` in UTF-16 units. */
export type Range = [number, number];

/** One search result: a page, pointing at its best section. */
export interface SearchHit {
  title: string;
  /** The page URL with the best section's anchor when there is one; '' when unknown. */
  url: string;
  /** The page id (path relative to the indexed folder). */
  path: string;
  /** Heading of the best section ('' for the lead section). */
  section: string;
  score: number;
  /** Text around the best match. */
  snippet: string;
  /** Matched keywords in `snippet`, sorted, non-overlapping. */
  highlights: Range[];
}

/** Options of one search. */
export interface SearchOptions {
  /** Number of hits (default 5). */
  limit?: number;
}

/** What every knowledge-base source offers the bot: answer a query. */
export interface SearchSource {
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  close?(): Promise<void>;
}

/** A source that can also be changed: the embedded and PostgreSQL engines. */
export interface SearchEngine extends SearchSource {
  /**
   * Adds pages or replaces those with the same path; statistics update incrementally. A page
   * already indexed from the same content is left as it is. Resolves to how many pages were
   * (re)analyzed.
   */
  index(docs: ReadonlyArray<Page | SourceDocument>): Promise<number>;
  /** Removes pages by path; unknown paths are ignored. */
  remove(paths: readonly string[]): Promise<void>;
}
