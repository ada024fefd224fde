/**
 * Renders WeCom markdown readably in a terminal: headings and bold in bold, the three font
 * colours as ANSI colours, links as `label <url>`, mentions as `@user`. With `color: false`
 * (not a TTY, or --script output captured by tests) the same text comes out without escapes.
 */
export function renderMarkdownForTerminal(markdown: string, options: { color: boolean }): string {
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const colours: Record<string, string> = { info: '32', comment: '90', warning: '33' };
  return markdown
    .split('\n')
    .map((line) => {
      // Links first: the ANSI escapes inserted below contain '[' and would confuse the link pattern.
      let out = line.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, url: string) => `${paint('36', label)} <${url}>`);
      const heading = /^(#{1,6})\s+(.*)$/.exec(out);
      if (heading) out = paint('1;4', heading[2]!);
      out = out.replace(/^>\s?/, options.color ? paint('90', '│ ') : '| ');
      out = out.replace(/<font color="(\w+)">([\s\S]*?)<\/font>/g, (_m, colour: string, text: string) =>
        paint(colours[colour] ?? '0', text),
      );
      out = out.replace(/\*\*([^*]+)\*\*/g, (_m, text: string) => paint('1', text));
      out = out.replace(/<@([^>]+)>/g, (_m, user: string) => paint('35', `@${user}`));
      out = out.replace(/`([^`]+)`/g, (_m, code: string) => paint('7', code));
      return out;
    })
    .join('\n');
}
