/** The Q&A set of the `faq` bot: what a Q&A file (YAML, CSV, Markdown) turns into. */

/** One question with its alternate phrasings and its answer. */
export interface FaqEntry {
  /**
   * Stable id: buttons carry it (`faq:q-12`), the unanswered log and `wecombot faq promote`
   * name entries by it. From the file's `id`, or the entry's position (1-based).
   */
  id: number;
  question: string;
  /** Other ways customers ask the same thing. */
  phrasings: string[];
  /** The answer, in WeCom markdown. */
  answer: string;
  /** What the entry is about (a product, a chapter); matched with a low weight. */
  group: string;
  /** Line of the entry in its file (for messages and `promote`). */
  line: number;
}

/** A parsed Q&A file. */
export interface QaSet {
  /** The file as given (for messages). */
  file: string;
  format: QaFormat;
  entries: FaqEntry[];
  /** Synonym groups the file declares (`synonyms:` in YAML), on top of the defaults. */
  synonyms: string[][];
}

export type QaFormat = 'yaml' | 'csv' | 'markdown';
