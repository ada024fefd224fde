import { z } from 'zod';

/** An existing search API: a URL template and the JSON paths of the fields (see RemoteOptions). */
const remote = z.object({
  url: z.string().min(1, 'remote.url is the URL template, e.g. https://wiki/api/search?q={query}'),
  method: z.enum(['GET', 'POST']).optional(),
  body: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  hits: z.string(),
  title: z.string(),
  link: z.string(),
  snippet: z.string().optional(),
  section: z.string().optional(),
  score: z.string().optional(),
  timeoutMs: z.number().int().min(100).optional(),
});

/** The `kb-search` bot's configuration, validated once at start-up. */
export const kbSearchConfigSchema = z.object({
  /**
   * The knowledge base: an index file from `wecombot kb index`, a `postgres://…` URL, or
   * `{ remote: { url, hits, title, link, snippet } }` for an existing search API.
   */
  source: z.union([z.string().min(1, 'source must name an index file, a postgres:// URL or a remote API'), z.object({ remote })]),
  /** Results per answer. */
  limit: z.number().int().min(1).max(10).default(5),
  /** How keywords are highlighted; AI bot answers always use bold (no font colours there). */
  highlight: z.enum(['bold', 'warning']).default('warning'),
  /** Example queries shown in the usage text and when nothing matches. */
  examples: z.array(z.string()).default([]),
  /** Heading of the usage text. */
  title: z.string().default('知识库搜索'),
});

export type KbSearchConfig = z.output<typeof kbSearchConfigSchema>;
export type KbSearchConfigInput = z.input<typeof kbSearchConfigSchema>;
