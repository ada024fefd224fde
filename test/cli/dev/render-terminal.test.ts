import { describe, expect, it } from 'vitest';
import { renderMarkdownForTerminal } from '../../../src/cli/dev/render-terminal.js';

const md = '### 标题\n> 天气：**小雨**\n<font color="warning">带伞</font> [文档](https://x.test/a) <@alice> `npm start`';

describe('terminal markdown', () => {
  it('strips markup without colour', () => {
    expect(renderMarkdownForTerminal(md, { color: false })).toBe('标题\n| 天气：小雨\n带伞 文档 <https://x.test/a> @alice npm start');
  });

  it('uses ANSI colours for the font colours when asked', () => {
    const out = renderMarkdownForTerminal(md, { color: true });
    expect(out).toContain('\x1b[33m带伞\x1b[0m');
    expect(out).toContain('\x1b[1m小雨\x1b[0m');
  });
});
