import { renderHitsMarkdown } from '../../search/render-markdown.js';
import type { SearchHit, SearchSource } from '../../search/types.js';
import { escapeMarkdownText } from '../../search/render-markdown.js';
import type { KbSearchConfig } from './config.js';

/** What the bot answers to one message. */
export interface KbAnswer {
  kind: 'usage' | 'hits' | 'suggestions' | 'nothing';
  markdown: string;
  hits: SearchHit[];
}

const HELP_WORDS = /^(help|帮助|\?|？|用法|usage)$/i;

/** The usage text: what to type, with examples. */
export function usageMarkdown(config: Pick<KbSearchConfig, 'title' | 'examples'>): string {
  const examples = config.examples.length > 0 ? config.examples : ['部署 SCF', '限流 45009'];
  return [
    `**${escapeMarkdownText(config.title)}**`,
    '@我 并输入关键词，我会从文档中找出最相关的页面。',
    `例如：${examples.map((e) => `\`${escapeMarkdownText(e)}\``).join('、')}`,
    '@me with keywords and I will find the most relevant pages.',
  ].join('\n');
}

/**
 * Pieces to retry when a query matches nothing: its words one by one, and for a single long
 * CJK word its halves (users often glue two terms together, e.g. `函数冷启动优化`).
 */
function relaxedQueries(query: string): string[] {
  const words = query.split(/\s+/).filter(Boolean);
  if (words.length > 1) return words;
  const chars = Array.from(words[0] ?? '');
  if (chars.length >= 4) {
    const half = Math.ceil(chars.length / 2);
    return [chars.slice(0, half).join(''), chars.slice(half).join('')];
  }
  return [];
}

/**
 * Answers one query against a knowledge base: usage for an empty message or `help`, the top
 * hits as WeCom markdown (always within the 4096-byte limit), or, when nothing matches, a
 * friendly answer with the closest pages found by relaxing the query.
 */
export async function answerQuery(
  kb: SearchSource,
  rawQuery: string,
  config: KbSearchConfig,
  options: { highlight?: 'bold' | 'warning' } = {},
): Promise<KbAnswer> {
  const query = rawQuery.trim();
  if (!query || HELP_WORDS.test(query)) return { kind: 'usage', markdown: usageMarkdown(config), hits: [] };
  const highlight = options.highlight ?? config.highlight;
  const hits = await kb.search(query, { limit: config.limit });
  if (hits.length > 0) return { kind: 'hits', hits, markdown: renderHitsMarkdown(query, hits, { highlight }) };

  const seen = new Map<string, SearchHit>();
  for (const piece of relaxedQueries(query)) {
    for (const hit of await kb.search(piece, { limit: 3 })) if (!seen.has(hit.path)) seen.set(hit.path, hit);
    if (seen.size >= 3) break;
  }
  const closest = [...seen.values()].slice(0, 3);
  const sorry = `没有找到与「${escapeMarkdownText(query)}」完全匹配的内容。`;
  if (closest.length > 0) {
    const markdown = renderHitsMarkdown(query, closest, { highlight, header: `${sorry}\n你可能想找：` });
    return { kind: 'suggestions', hits: closest, markdown };
  }
  return { kind: 'nothing', hits: [], markdown: `${sorry}\n换几个关键词试试？\n\n${usageMarkdown(config)}` };
}
