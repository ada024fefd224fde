import { describe, expect, it } from 'vitest';
import { analyzerWith, createIndexAnalyzer } from '../../src/search/text/analyzer.js';
import { normalize, normalizeWithMap, originalOffset } from '../../src/search/text/normalize.js';
import { parseQuery } from '../../src/search/text/query.js';
import { segmentRun, subwords, type Vocabulary } from '../../src/search/text/segment.js';
import { findSynonyms, parseSynonyms } from '../../src/search/text/synonyms.js';
import { runs } from '../../src/search/text/tokenize.js';

// A vocabulary as a large index would see it: many other terms make the total large.
function vocab(entries: Record<string, number>): Vocabulary {
  return { df: (t) => entries[t] ?? 0, totalDf: 1_000_000, maxTermLength: Math.max(...Object.keys(entries).map((k) => k.length)) };
}

const weights = { subwordWeight: 0.5, synonymWeight: 0.8, bigramWeight: 0.3, bigrams: false };

describe('normalize', () => {
  it('folds full-width forms and case', () => {
    expect(normalize('ＳＣＦ　函数（Ｖ２）')).toBe('scf 函数(v2)');
    expect(normalize('Hello ＷＯＲＬＤ')).toBe('hello world');
  });

  it('agrees with NFKC + lower case on every BMP character (fast paths included)', () => {
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCharCode(cp);
      if (normalize(ch) !== ch.normalize('NFKC').toLowerCase()) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('maps normalized offsets back to the original text', () => {
    const original = 'ﬁle 大小 ＡＢ';
    const m = normalizeWithMap(original);
    expect(m.text).toBe('file 大小 ab');
    const at = m.text.indexOf('大小');
    expect(original.slice(originalOffset(m, at), originalOffset(m, at + 2))).toBe('大小');
    expect(normalizeWithMap('普通文本，没有变化').map).toBeUndefined();
  });

  it('folds mixed text like character by character (fast paths included)', () => {
    // Word matching folds letters and digits only; punctuation stays as it is.
    const matchFoldable = /[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|[^\x00-\x7f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/u;
    const palette = [...'aZ09 _-.,:/#\n函数计费、。「」“”—…ＡｚＷ１，！：éÄΣ×'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 12) }, () => palette[Math.floor(next() * palette.length)]!).join('');
      const chars = [...text];
      expect(normalize(text), text).toBe(chars.map((ch) => ch.normalize('NFKC').toLowerCase()).join(''));
      expect(normalizeWithMap(text).text, text).toBe(chars.map((ch) => (matchFoldable.test(ch) ? normalize(ch) : ch)).join(''));
    }
  });
});

describe('runs', () => {
  it('splits mixed Chinese and English, keeping code identifiers whole', () => {
    const r = runs(normalize('用 cos.putObject 上传scf_bootstrap，版本v1.2.3！'));
    expect(r).toEqual([
      { kind: 'cjk', text: '用' },
      { kind: 'word', text: 'cos.putobject', parts: ['cos', 'putobject'] },
      { kind: 'cjk', text: '上传' },
      { kind: 'word', text: 'scf_bootstrap', parts: ['scf', 'bootstrap'] },
      { kind: 'cjk', text: '版本' },
      { kind: 'word', text: 'v1.2.3', parts: ['v1', '2', '3'] },
    ]);
  });

  it('ends a word at a trailing dot or hyphen and keeps other scripts as words', () => {
    expect(runs('end. -x café')).toEqual([
      { kind: 'word', text: 'end', parts: [] },
      { kind: 'word', text: 'x', parts: [] },
      { kind: 'word', text: 'café', parts: [] },
    ]);
  });
});

describe('index analyzer (jieba)', () => {
  it('segments mixed text into words, sub-words and identifiers', async () => {
    const analyzer = await createIndexAnalyzer();
    const terms = analyzer.terms('云函数SCF的计费方式：调用 cos.putObject 上传大量文件');
    expect(terms).toEqual(
      expect.arrayContaining(['函数', '计费', '方式', 'scf', 'cos.putobject', 'cos', 'putobject', '上传', '大量', '文件']),
    );
    expect(terms).not.toContain('：');
  });

  it('adds marked CJK bigrams when asked', () => {
    const a = analyzerWith({ cut: (s) => [s], cutForSearch: (s) => s.split(' ') }, { bigrams: true });
    expect(a.terms('星河函数')).toEqual(['\u0001星河', '\u0001河函', '\u0001函数', '星河函数']);
  });
});

describe('vocabulary segmentation', () => {
  const v = vocab({ 函数: 500, 计费: 200, 函: 3, 数: 4, 计: 2, 费: 5, 大量: 50, 文件: 900, 大量文件: 20, 云: 300 });

  it('cuts an unspaced keyword into known words', () => {
    expect(segmentRun('函数计费', v).map((p) => p.text)).toEqual(['函数', '计费']);
  });

  it('keeps a known compound whole when it is likely enough', () => {
    expect(segmentRun('大量文件', v).map((p) => p.text)).toEqual(['大量文件']);
    expect(subwords('大量文件', v)).toEqual(['大量', '文件']);
  });

  it('leaves out sub-words found in a large share of a large index', () => {
    const counts: Record<string, number> = { 服务器: 700, 服务: 5000, 务器: 701 };
    const base = { df: (t: string) => counts[t] ?? 0, totalDf: 10_000, maxTermLength: 3 };
    expect(subwords('服务器', { ...base, liveSections: 10_000 })).toEqual([]);
    expect(subwords('服务器', { ...base, liveSections: 40_000 })).toEqual(['服务']);
    // Small indexes and vocabularies that do not know their size keep every piece.
    expect(subwords('服务器', base)).toEqual(['服务']);
    counts.服务 = 900;
    expect(subwords('服务器', { ...base, liveSections: 1_000 })).toEqual(['服务']);
  });

  it('marks characters the vocabulary lacks', () => {
    expect(segmentRun('云星函数', v)).toEqual([
      { text: '云', known: true },
      { text: '星', known: false },
      { text: '函数', known: true },
    ]);
  });
});

describe('query parsing', () => {
  const v = vocab({ 函数: 500, 计费: 200, 日志: 80, scf: 40, 云: 300, 如何: 900 });

  it('turns keywords into clauses and drops question words', () => {
    const q = parseQuery('如何 函数计费', v, [], weights);
    expect(q.clauses.map((c) => c.alternatives[0]!.map((t) => t.term))).toEqual([['函数'], ['计费']]);
  });

  it('expands synonyms as alternatives of one clause', () => {
    const groups = parseSynonyms('云函数 = SCF');
    const q = parseQuery('云函数 日志', v, groups, weights);
    expect(q.clauses).toHaveLength(2);
    const [syn] = q.clauses;
    expect(syn!.alternatives.map((a) => a.map((t) => `${t.term}:${t.weight}`))).toEqual([['云:1', '函数:1'], ['scf:0.8']]);
  });

  it('uses bigrams for characters outside the vocabulary when the index has them', () => {
    const q = parseQuery('星河', v, [], { ...weights, bigrams: true });
    expect(q.clauses[0]!.alternatives[0]).toEqual([{ term: '\u0001星河', weight: 0.3 }]);
    expect(parseQuery('星河', v, [], weights).clauses).toHaveLength(0);
  });
});

describe('synonyms', () => {
  it('parses lines and finds whole-word members, longest first', () => {
    const groups = parseSynonyms('# products\nCOS = 对象存储, Cloud Object Storage\n云函数=SCF');
    expect(groups).toEqual([
      ['cos', '对象存储', 'cloud object storage'],
      ['云函数', 'scf'],
    ]);
    expect(findSynonyms('cosfs 挂载 cos 桶', groups).map((m) => m.start)).toEqual([9]);
  });
});
