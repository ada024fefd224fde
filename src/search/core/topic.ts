/**
 * The overview prior. A short topic query (`函数计费`) is answered best by the page that
 * introduces the topic (the product's `计费概述`), yet a section deeper in another page can
 * hold the query words in its heading (`函数计费状态`, a table of status codes) and outscore it.
 * A page says what it is about in its address: the folders of its path name the product
 * (`无服务器云函数/购买指南`), the title the topic. When that address holds every word of the
 * query and the title marks the page as an overview, the page introduces exactly what was
 * asked, and reranking lifts it by `topicBonus` (see proximity.ts).
 */
import { normalize } from '../text/normalize.js';

/** What a page is about: its folders and title, normalized (the file name is the title's stand-in). */
export function pageAddress(path: string, title: string): string {
  const folders = path.split('/');
  folders.pop();
  return normalize(`${folders.join(' ')} ${title}`);
}

/**
 * True when every clause has a surface form (the word typed or a synonym) in the address:
 * the page as a whole is about everything asked, not only one of its sections.
 */
export function addressHoldsQuery(address: string, clauses: readonly (readonly string[])[]): boolean {
  if (clauses.length === 0) return false;
  return clauses.every((surfaces) => surfaces.some((s) => s !== '' && address.includes(s)));
}

// Titles documentation gives its topic hubs: `计费概述`, `产品简介`, `原理介绍`, `Overview`.
const OVERVIEW_TITLE = /(?:概述|简介|概览|总览|介绍|overview|introduction)\s*$/;

/** True when a page title names an overview of its topic. */
export function isOverviewTitle(title: string): boolean {
  return OVERVIEW_TITLE.test(normalize(title));
}

/** True when the page introduces the query's topic: an overview whose address holds every clause. */
export function isTopicOverview(path: string, title: string, clauses: readonly (readonly string[])[]): boolean {
  return isOverviewTitle(title) && addressHoldsQuery(pageAddress(path, title), clauses);
}
