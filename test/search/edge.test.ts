import { describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { DOCS } from './fixtures.js';

describe('embedded engine edge cases', () => {
  it('answers nothing from an empty index, before and after a file round trip', async () => {
    const empty = new EmbeddedEngine();
    expect(await empty.search('函数')).toEqual([]);
    const reloaded = EmbeddedEngine.fromBuffer(empty.toBuffer());
    expect(reloaded.searchSync('函数')).toEqual([]);
    expect(reloaded.stats()).toEqual({ pages: 0, sections: 0, terms: 0 });
  });

  it('keeps pages without text and survives removing everything', async () => {
    const engine = new EmbeddedEngine();
    await engine.index([{ path: 'empty.md', content: '' }, ...DOCS]);
    expect(engine.stats().pages).toBe(DOCS.length + 1);
    const again = EmbeddedEngine.fromBuffer(engine.toBuffer());
    expect(again.stats()).toEqual(engine.stats());
    await again.remove([...DOCS.map((d) => d.path), 'empty.md']);
    expect(again.stats()).toEqual({ pages: 0, sections: 0, terms: 0 });
    expect(again.searchSync('函数计费')).toEqual([]);
    await again.index([DOCS[0]!]);
    expect(again.searchSync('函数计费')[0]!.path).toBe(DOCS[0]!.path);
  });

  it('handles punctuation-only, very long and many-word queries', async () => {
    const engine = new EmbeddedEngine();
    await engine.index(DOCS);
    expect(engine.searchSync('？？！，。 --- ***')).toEqual([]);
    const long = '函数计费说明'.repeat(200);
    expect(engine.searchSync(long)[0]!.path).toBe('函数/计费说明.md');
    const many = Array.from({ length: 40 }, (_, i) => `词${i}`).join(' ') + ' 分块 上传';
    expect(engine.searchSync(many)[0]!.path).toBe('存储/常见问题.md');
  });

  it('treats a page indexed twice in one batch as its last version', async () => {
    const engine = new EmbeddedEngine();
    await engine.index([
      { path: 'a.md', content: '# 蓝莓\n\n草莓' },
      { path: 'a.md', content: '# 香蕉\n\n苹果' },
    ]);
    expect(engine.stats().pages).toBe(1);
    expect(engine.searchSync('草莓')).toEqual([]);
    expect(engine.searchSync('苹果')[0]!.title).toBe('香蕉');
  });
});
