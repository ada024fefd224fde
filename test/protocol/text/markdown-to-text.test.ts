import { describe, expect, it } from 'vitest';
import { markdownToText } from '../../../src/protocol/text/markdown-to-text.js';

describe('markdownToText', () => {
  it('strips headings, bold, italics and font tags', () => {
    expect(markdownToText('# 一级\n### 三级 **重点** *斜体*\n<font color="warning">告警</font> <font color="info">正常</font>')).toBe(
      '一级\n三级 重点 斜体\n告警 正常',
    );
  });

  it('turns links into label (url) and images into alt (url)', () => {
    expect(markdownToText('详见[构建日志](https://ci.example/42)和![截图](https://img.example/a.png)')).toBe(
      '详见构建日志 (https://ci.example/42)和截图 (https://img.example/a.png)',
    );
    expect(markdownToText('[https://a.example](https://a.example) ![](https://i.example/x.png)')).toBe(
      'https://a.example https://i.example/x.png',
    );
  });

  it('drops quote markers and turns mentions into @userid', () => {
    expect(markdownToText('> 引用一\n>> 二级 <@zhangsan>')).toBe('引用一\n二级 @zhangsan');
  });

  it('keeps code exactly, without fences or backticks', () => {
    const md = ['说明 `npm **run** build`', '```bash', '# not a heading', 'echo "**x**" [a](b)', '```', '结束'].join('\n');
    expect(markdownToText(md)).toBe(['说明 npm **run** build', '# not a heading', 'echo "**x**" [a](b)', '结束'].join('\n'));
  });

  it('renders tables as cells joined by |, without the delimiter row', () => {
    expect(markdownToText('| 姓名 | 城市 |\n| :--- | ---: |\n| 张三 | 广州 |')).toBe('姓名 | 城市\n\n张三 | 广州');
  });

  it('keeps list markers, renders rules, unescapes and collapses blank runs', () => {
    expect(markdownToText('- 一\n* 二\n1. 三\n\n\n\n---\n\\*字面\\*')).toBe('- 一\n* 二\n1. 三\n\n——————\n*字面*');
  });
});
