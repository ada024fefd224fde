/**
 * Names and abbreviations learned from the pages being indexed, the way a reader learns them:
 * documentation introduces a product as `云服务器（Cloud Virtual Machine，CVM）` or
 * `对象存储（COS）`, and files its pages under folders named after it. Customers then type the
 * abbreviation (`cvm 默认密码`) or the short name (`云函数`), which the pages may not spell
 * out, and which jieba may split (`云` + `函数`).
 *
 * Two things come out: names (whole index terms, see name-terms.ts) and aliases (synonym groups
 * `[abbreviation, name]`). Nothing here comes from a fixed list of products.
 */
import type { Page } from '../types.js';
import { normalize } from './normalize.js';

/** What indexing learns from a set of pages. */
export interface LearnedAliases {
  /** CJK names (3–10 characters) to index as whole terms, sorted. */
  names: string[];
  /** `[abbreviation, name]` groups, normalized, sorted by abbreviation. */
  aliases: string[][];
}

// `名称（English Name，ABBR）`, `名称（English Name，简称 ABBR）`, `名称（ABBR）` or `名称（Brand）`;
// the name may end in Latin (`弹性公网 IP（EIP）`).
const DEFINITION =
  /([\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9 ]{0,15}?)\s?[（(](?:([A-Za-z][A-Za-z .&-]{2,60})\s?[，,]\s?(?:简称\s?)?)?([A-Z][A-Za-z0-9]{1,11})[）)]/g;
/** An abbreviation proper (CVM, TKE); other words in brackets (`Lighthouse`) count for folder names only. */
const ACRONYM = /^[A-Z][A-Z0-9]{1,7}$/;
/** A brand word (`Lighthouse`, `Batch`): one capitalized word, no API name (`addHubInfo`). */
const BRAND = /^[A-Z][a-z]{3,11}$/;
/** Words that start no name but often precede one (`的私有网络`, `在云服务器`). */
const LEADING_WORDS = new Set([
  '的',
  '在',
  '和',
  '与',
  '将',
  '及',
  '或',
  '从',
  '是',
  '了',
  '即',
  '把',
  '为',
  '对',
  '于',
  '对于',
  '使用',
  '通过',
  '购买',
  '您',
  '我们',
  '用户',
  '可以',
  '如',
  '如何',
  '其',
  '该',
  '此',
  '这',
  '个',
  '一个',
]);
/** Units and generic technical abbreviations: never a product's short name. */
const GENERIC = new Set([
  'GB',
  'MB',
  'TB',
  'KB',
  'PB',
  'MBPS',
  'GBPS',
  'QPS',
  'PPS',
  'ID',
  'IP',
  'API',
  'SQL',
  'OK',
  'URL',
  'GMT',
  'UTC',
  'KEY',
  'CMD',
  'SDK',
  'CPU',
  'DNS',
  'HTTP',
  'HTTPS',
  'TCP',
  'UDP',
  'JSON',
  'XML',
]);
const CJK_RUN = /[\u4e00-\u9fff]{3,10}/g;

/**
 * Topic names of a page: its folders as written (`弹性公网 IP`, `NAT网关`) and their CJK runs of
 * three characters or more (`对象存储` of `对象存储 4.0`). Folders name products and topics;
 * titles name tasks (`创建日志主题`), so they are not topics.
 */
function topicsOf(page: Page): string[] {
  const parts = page.path.split('/');
  parts.pop();
  const out: string[] = [];
  for (const part of parts) {
    const name = normalize(part).replace(/\s+/g, ' ').trim();
    if (!/[\u4e00-\u9fff]/.test(name)) continue;
    out.push(name);
    for (const run of name.match(CJK_RUN) ?? []) if (run !== name) out.push(run);
  }
  return out;
}

/** True when the capitals of the English name spell the abbreviation (`Cloud Virtual Machine` → CVM). */
function spells(english: string | undefined, abbr: string): boolean {
  if (!english) return false;
  const initials = english
    .split(/[\s.&-]+/)
    .filter((w) => /^[A-Za-z]/.test(w) && !/^(?:of|and|for|the|on|in|to)$/i.test(w))
    .map((w) => w[0]!.toUpperCase())
    .join('');
  return initials === abbr || initials.replace(/^T/, '') === abbr;
}

/**
 * Candidate names of a definition: the suffixes of the text before the bracket that start at a
 * word boundary (as `cut` splits it) after the words that start no name, longest first.
 */
function nameSuffixes(run: string, cut: (text: string) => string[]): string[][] {
  const words = cut(normalize(run).replace(/\s+/g, ' ').trim());
  const out: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    if (LEADING_WORDS.has(words[i]!) || !words[i]!.trim()) continue;
    const tail = words.slice(i);
    if (/[\u4e00-\u9fff]/.test(tail.join(''))) out.push(tail);
  }
  return out;
}

interface Candidate {
  /** The name, words joined as written. */
  name: string;
  /** Its first word. */
  first: string;
  words: number;
  /** Pages defining the abbreviation with this name. */
  pages: Set<string>;
  /** An English name of one of those definitions spells the abbreviation. */
  spelled: boolean;
  /** The whole text before a bracket (after the words that start no name). */
  longest: boolean;
}

/**
 * Learns names and aliases from pages: every abbreviation defined in brackets becomes an alias
 * of the name before the bracket (see {@link pickName}). `cut` splits text into words (jieba
 * at index time); names start at a word.
 *
 * @example learnAliases(pages, (t) => jieba.cut(t)) // { names: ['云服务器', …], aliases: [['cvm', '云服务器'], …] }
 */
export function learnAliases(pages: Iterable<Page>, cut: (text: string) => string[], minPages = 2): LearnedAliases {
  const topics = new Set<string>();
  const defs = new Map<string, Map<string, Candidate>>();
  // abbreviation → the text before each of its brackets → pages: matched against folder names
  // character by character (a segmenter may glue a name to what precedes it: `腾讯云服务器`).
  const runs = new Map<string, Map<string, Set<string>>>();
  for (const page of pages) {
    for (const t of topicsOf(page)) topics.add(t);
    for (const text of [page.title, ...page.sections.map((s) => s.text)]) {
      for (const m of text.matchAll(DEFINITION)) {
        const abbr = m[3]!;
        if (GENERIC.has(abbr)) continue;
        let byName = defs.get(abbr);
        if (!byName) defs.set(abbr, (byName = new Map()));
        const spelled = spells(m[2], abbr);
        const run = normalize(m[1]!).replace(/\s+/g, ' ').trim();
        let byRun = runs.get(abbr);
        if (!byRun) runs.set(abbr, (byRun = new Map()));
        let seen = byRun.get(run);
        if (!seen) byRun.set(run, (seen = new Set()));
        seen.add(page.path);
        nameSuffixes(m[1]!, cut).forEach((words, i) => {
          const name = words.join('').trim();
          let c = byName.get(name);
          if (!c)
            byName.set(
              name,
              (c = {
                name,
                first: words[0]!,
                words: words.filter((w) => w.trim()).length,
                pages: new Set(),
                spelled: false,
                longest: false,
              }),
            );
          c.pages.add(page.path);
          c.spelled ||= spelled;
          c.longest ||= i === 0;
        });
      }
    }
  }
  const prefixes = sharedPrefixes(defs);
  const aliases: string[][] = [];
  for (const [abbr, byName] of defs) {
    const acronym = ACRONYM.test(abbr);
    if (!acronym && !BRAND.test(abbr)) continue;
    const name =
      folderName(runs.get(abbr)!, topics, acronym ? 3 : 4) ?? (acronym ? pickName([...byName.values()], minPages, prefixes) : undefined);
    const short = abbr.toLowerCase();
    if (name && !name.includes(short)) aliases.push([short, name]);
  }
  aliases.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  const names = new Set<string>();
  for (const alias of aliases) for (const run of alias[1]!.match(CJK_RUN) ?? []) names.add(run);
  for (const t of topics) for (const run of t.match(CJK_RUN) ?? []) names.add(run);
  return { names: [...names].sort(), aliases };
}

/**
 * The folder name a definition uses, if any: the longest of the folder names ending the text
 * before the bracket that at least half as many pages use as the commonest one (`云服务器`
 * over `服务器`, which every definition of it ends with; `弹性公网 ip` over `黑石弹性公网 ip`).
 * `shortest` bounds its length: a brand word in brackets (`轻量应用服务器（Lighthouse）`) needs
 * a longer name than an abbreviation, as `无服务器（Serverless）` is no product called 服务器.
 */
function folderName(runs: Map<string, Set<string>>, topics: Set<string>, shortest: number): string | undefined {
  const pages = new Map<string, Set<string>>();
  for (const [run, seen] of runs) {
    const chars = Array.from(run);
    for (let i = 0; i + shortest <= chars.length; i++) {
      const name = chars.slice(i).join('');
      if (!topics.has(name)) continue;
      let p = pages.get(name);
      if (!p) pages.set(name, (p = new Set()));
      for (const path of seen) p.add(path);
    }
  }
  if (pages.size === 0) return undefined;
  const most = Math.max(...[...pages.values()].map((p) => p.size));
  return [...pages].filter(([, p]) => p.size * 2 >= most).sort((a, b) => b[0].length - a[0].length)[0]![0];
}

/**
 * Words that open the text before the brackets of three abbreviations or more (a company's
 * name: `腾讯云` before `对象存储`, `web 应用防火墙`…): a name is not extended over them.
 */
function sharedPrefixes(defs: Map<string, Map<string, Candidate>>): Set<string> {
  const abbrsOf = new Map<string, Set<string>>();
  for (const [abbr, byName] of defs) {
    for (const c of byName.values()) {
      if (c.words < 2 || !c.longest) continue;
      let set = abbrsOf.get(c.first);
      if (!set) abbrsOf.set(c.first, (set = new Set()));
      set.add(abbr);
    }
  }
  return new Set([...abbrsOf].filter(([, abbrs]) => abbrs.size >= 3).map(([word]) => word));
}

/**
 * Pages that must agree on a longer name before it replaces a shorter one: a sentence copied
 * onto two pages says nothing about where a name starts.
 */
const EXTEND_PAGES = 3;

/**
 * The name an abbreviation stands for when no folder is named so: among names defined on
 * `minPages` pages or spelled by an English name, the shortest of two words or more
 * (`临时密钥`, not `的临时密钥`), extended word by word while nearly all of its pages (three or
 * more) agree on the longer name (`内容分发网络`).
 */
function pickName(candidates: Candidate[], minPages: number, prefixes: Set<string>): string | undefined {
  const trusted = candidates
    .filter((c) => c.spelled || c.pages.size >= minPages)
    .sort((a, b) => a.words - b.words || a.name.length - b.name.length);
  let best = trusted.find((c) => c.words >= 2 || Array.from(c.name).length >= 4);
  if (!best) return undefined;
  for (const c of trusted) {
    if (
      c.words > best.words &&
      c.name.endsWith(best.name) &&
      !prefixes.has(c.first) &&
      c.pages.size >= EXTEND_PAGES &&
      c.pages.size * 5 >= best.pages.size * 4
    )
      best = c;
  }
  return best.name;
}

/**
 * What an index knows after learning from more pages: names of both, and the aliases of both,
 * the earlier mapping kept for an abbreviation both define (pages indexed before keep the
 * meaning they were indexed with).
 */
export function mergeLearned(before: LearnedAliases, now: LearnedAliases): LearnedAliases {
  const names = [...new Set([...before.names, ...now.names])].sort();
  const known = new Set(before.aliases.map((a) => a[0]));
  const aliases = [...before.aliases, ...now.aliases.filter((a) => !known.has(a[0]))].sort((a, b) =>
    a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0,
  );
  return { names, aliases };
}
