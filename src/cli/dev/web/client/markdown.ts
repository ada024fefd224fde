/**
 * WeCom's markdown as the client draws it. `markdown` (the classic subset): headings, bold,
 * links, inline code, quotes, `<font color="info|comment|warning">` and `<@userid>` mentions.
 * `markdown_v2` adds tables, fenced code, lists, italics, images and rules but no font colours.
 * Everything is escaped first; only the constructs above become markup.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLOURS = new Set(['info', 'comment', 'warning']);

function inline(escaped: string, v2: boolean): string {
  const codes: string[] = [];
  let s = escaped.replace(/`([^`]+)`/g, (_m, c: string) => `\u0000${codes.push(`<code>${c}</code>`) - 1}\u0000`);
  if (v2)
    s = s.replace(
      /!\[([^\]]*)\]\(([^)\s]+)\)/g,
      (_m, alt: string, url: string) => `<span class="ph ph-image" title="${url}">🖼 ${alt || '图片'}</span>`,
    );
  s = s.replace(
    /\[([^\]]+)\]\(([^)\s]+)\)/g,
    (_m, label: string, url: string) => `<a href="${url}" target="_blank" rel="noreferrer">${label}</a>`,
  );
  s = s.replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
  if (v2) s = s.replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<i>$2</i>');
  if (!v2) {
    s = s.replace(/&lt;font color=&quot;(\w+)&quot;&gt;([\s\S]*?)&lt;\/font&gt;/g, (m, colour: string, text: string) =>
      COLOURS.has(colour) ? `<span class="font-${colour}">${text}</span>` : m,
    );
  }
  s = s.replace(/&lt;@([^&\s]+)&gt;/g, '<span class="mention">@$1</span>');
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)] ?? '');
}

function table(rows: string[], v2: boolean): string {
  const cells = (row: string) =>
    row
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => inline(escapeHtml(c.trim()), v2));
  const [head = '', , ...body] = rows;
  return `<table><thead><tr>${cells(head)
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map(
      (r) =>
        `<tr>${cells(r)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

export function renderMarkdown(src: string, v2: boolean): string {
  const lines = src.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (v2 && /^```/.test(line.trim())) {
      const lang = line.trim().slice(3).trim();
      const code: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]!.trim()); i++) code.push(lines[i]!);
      out.push(`<pre class="code"${lang ? ` data-lang="${escapeHtml(lang)}"` : ''}><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (v2 && /^\s*\|/.test(line) && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1] ?? '')) {
      const rows: string[] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]!); i++) rows.push(lines[i]!);
      i--;
      out.push(table(rows, v2));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      out.push(`<h${level}>${inline(escapeHtml(heading[2]!), v2)}</h${level}>`);
      continue;
    }
    if (/^>\s?/.test(line)) {
      out.push(`<blockquote>${inline(escapeHtml(line.replace(/^>\s?/, '')), v2)}</blockquote>`);
      continue;
    }
    if (v2 && /^\s*(-{3,}|\*{3,})\s*$/.test(line)) {
      out.push('<hr>');
      continue;
    }
    const item = v2 ? /^\s*([-*+]|\d+\.)\s+(.*)$/.exec(line) : null;
    if (item) {
      out.push(
        `<div class="li"><span class="bullet">${/\d/.test(item[1]!) ? escapeHtml(item[1]!) : '•'}</span> ${inline(escapeHtml(item[2]!), v2)}</div>`,
      );
      continue;
    }
    out.push(line.trim() === '' ? '<div class="gap"></div>' : `<div>${inline(escapeHtml(line), v2)}</div>`);
  }
  return out.join('');
}

/** Plain text: line breaks kept, `@name` mentions highlighted. */
export function renderText(src: string): string {
  return escapeHtml(src)
    .replace(/(^|\s)@(\S+)/g, '$1<span class="mention">@$2</span>')
    .replace(/\n/g, '<br>');
}
