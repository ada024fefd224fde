import type { Page, SourceDocument } from '../types.js';
import { joinWrappedCjkLines } from './cjk-lines.js';
import { parseFrontMatter } from './front-matter.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';

/** How public URLs are made from paths. */
export interface UrlOptions {
  /** Prefix of public URLs; a page's URL is `baseUrl` + its path (URI-encoded). */
  baseUrl?: string;
  /**
   * What happens to the extension of `.md`/`.markdown`/`.txt` paths in URLs: `keep` (default,
   * e.g. for a Git host), `html` (static-site generators), or `none` (extension-less routes).
   */
  urlExtension?: 'keep' | 'html' | 'none';
}

/** The document format implied by a path's extension. */
export function formatOf(path: string): 'markdown' | 'html' | 'text' {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'md' || ext === 'markdown' || ext === 'mdx') return 'markdown';
  if (ext === 'html' || ext === 'htm') return 'html';
  return 'text';
}

function fileTitle(path: string): string {
  const name = path.split('/').pop() ?? path;
  return name.replace(/\.[^.]+$/, '') || name;
}

/** The public URL of a path under `baseUrl`, or '' without a base URL. */
export function publicUrl(path: string, options: UrlOptions = {}): string {
  if (!options.baseUrl) return '';
  let p = path;
  if (options.urlExtension === 'html') p = p.replace(/\.(md|markdown|mdx|txt)$/i, '.html');
  else if (options.urlExtension === 'none') p = p.replace(/\.(md|markdown|mdx|txt|html?)$/i, '');
  const base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  return base + p.split('/').map(encodeURIComponent).join('/');
}

/**
 * Parses a raw document into a page: sections split at headings, the title from front matter,
 * else the first `#` heading (`<title>`/`<h1>` in HTML), else the file name; the URL from
 * front matter, else `baseUrl` + path.
 */
export function parseDocument(doc: SourceDocument, options: UrlOptions = {}): Page {
  const format = doc.format ?? formatOf(doc.path);
  const path = doc.path.replace(/\\/g, '/').replace(/^\.?\//, '');
  if (format === 'html') {
    const parsed = parseHtml(doc.content);
    return {
      path,
      title: doc.title ?? parsed.title ?? fileTitle(path),
      url: doc.url ?? publicUrl(path, options),
      sections: parsed.sections,
    };
  }
  if (format === 'markdown') {
    const fm = parseFrontMatter(doc.content);
    const parsed = parseMarkdown(fm.body);
    return {
      path,
      title: doc.title ?? (fm.data.title || undefined) ?? parsed.h1 ?? fileTitle(path),
      url: doc.url ?? (fm.data.url || undefined) ?? publicUrl(path, options),
      sections: parsed.sections,
    };
  }
  const text = joinWrappedCjkLines(
    doc.content
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?/g, '\n')
      .trim(),
  );
  return {
    path,
    title: doc.title ?? fileTitle(path),
    url: doc.url ?? publicUrl(path, options),
    sections: text ? [{ heading: '', path: [], anchor: '', text }] : [],
  };
}
