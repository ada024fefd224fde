/**
 * markdownToText: a plain-text rendering of WeCom markdown for readers who see raw text (for
 * example members on personal WeChat, where robot markdown shows its syntax).
 */

/**
 * Convert WeCom markdown (and markdown_v2) to readable plain text:
 * headings lose their `#`, `**bold**` / `*italic*` / `<font>` lose their markup, links become
 * `label (url)`, images `alt (url)`, quotes lose `>`, `<@userid>` becomes `@userid`, table rows
 * become `a | b` (the `---` row goes), a rule becomes `——————`. Code (fenced and inline) is kept
 * exactly, without its fences or backticks, and nothing inside code is rewritten.
 *
 * @example markdownToText('## 构建 **失败**\n[日志](https://ci/1)') === '构建 失败\n日志 (https://ci/1)'
 */
export function markdownToText(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (
        fenceMatch &&
        (fenceMatch[1] as string)[0] === fence[0] &&
        (fenceMatch[1] as string).length >= fence.length &&
        line.trim() === fenceMatch[1]
      ) {
        fence = undefined;
      } else {
        out.push(line);
      }
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1] as string;
      continue;
    }
    out.push(convertLine(line));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function convertLine(line: string): string {
  // Table delimiter rows carry no text.
  if (/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$/.test(line)) return '';
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return '——————';
  let text = line;
  text = text.replace(/^\s{0,3}>+\s?/, ''); // quote markers (> and nested >>)
  text = text.replace(/^\s{0,3}#{1,6}\s+/, ''); // heading markers
  if (/^\s*\|.*\|\s*$/.test(text)) {
    text = text
      .trim()
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim())
      .join(' | ');
  }
  return convertInline(text);
}

/** Inline markup outside code spans. */
function convertInline(text: string): string {
  const pieces = text.split(/(`+[^`]*`+)/);
  return pieces
    .map((piece, i) => {
      if (i % 2 === 1) return piece.replace(/^`+|`+$/g, '');
      // Escaped characters are set aside first so `\*literal\*` is not read as emphasis.
      const escaped: string[] = [];
      const hidden = piece.replace(/\\([\\`*_{}[\]()#+\-.!|>~<])/g, (_, ch: string) => `\uE000${escaped.push(ch) - 1}\uE001`);
      return hidden
        .replace(/!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_, alt: string, url: string) => (alt ? `${alt} (${url})` : url))
        .replace(/\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g, (_, label: string, url: string) =>
          label === url ? url : `${label} (${url})`,
        )
        .replace(/<font\b[^>]*>/gi, '')
        .replace(/<\/font>/gi, '')
        .replace(/<@([^\s<>]+)>/g, '@$1')
        .replace(/\*\*(.+?)\*\*/g, '$1')
        .replace(/__(.+?)__/g, '$1')
        .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*(?!\w)/g, '$1$2')
        .replace(/~~(.+?)~~/g, '$1')
        .replace(/\uE000(\d+)\uE001/g, (_, n: string) => escaped[Number(n)] ?? '');
    })
    .join('');
}
