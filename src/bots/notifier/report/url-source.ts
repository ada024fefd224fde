import { fetchText, type FetchOptions } from '../weather/http-json.js';
import { compileTemplate } from './template.js';

export interface UrlReportOptions {
  /** The URL to fetch each time the job runs. */
  url: string;
  /** Template for the message; the JSON body is its scope, a text body is `{{text}}`. */
  template: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * The generic "daily report" source: fetch a URL (JSON or text) and render it through a
 * template. Returns the markdown to push.
 */
export function urlReport(options: UrlReportOptions): (fetchOptions?: Pick<FetchOptions, 'signal'>) => Promise<string> {
  const render = compileTemplate(options.template);
  return async ({ signal } = {}) => {
    const { text, contentType } = await fetchText(options.url, 'report source', {
      headers: options.headers,
      timeoutMs: options.timeoutMs,
      signal,
    });
    let scope: unknown = { text };
    if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
      try {
        const parsed = JSON.parse(text) as unknown;
        scope = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? { text, ...parsed } : { text, items: parsed };
      } catch {
        /* a text body that merely starts with a brace */
      }
    }
    return render(scope);
  };
}
