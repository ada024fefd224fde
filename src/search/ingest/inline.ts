import { decodeEntities } from './entities.js';

/** Strips inline Markdown and HTML from one line, keeping the words (link texts, code, alt texts). */
export function stripInline(line: string): string {
  let s = line;
  if (s.includes('<')) {
    s = s.replace(/<(?:br|hr)\s*\/?>/gi, ' ').replace(/<\/?[A-Za-z][^<>]*>/g, ' ');
    s = s.replace(/<(https?:\/\/[^<>\s]+)>/g, '$1');
  }
  if (s.includes('[')) {
    s = s
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]*)\]\((?:[^()]|\([^()]*\))*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1');
  }
  s = s.replace(/(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1/g, '$2').replace(/`+/g, '');
  s = s.replace(/(^|[\s(])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?=[\s).,:;!?]|$)/g, '$1$2');
  return decodeEntities(s);
}

/** An explicit anchor written as `{#id}` after a heading or as an `id` attribute in it. */
export function explicitAnchor(raw: string): string | undefined {
  const curly = /\{#([^}\s]+)\}\s*$/.exec(raw);
  if (curly) return curly[1];
  const attr = /<(?:a|span)\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["'][^>]*>/i.exec(raw);
  return attr?.[1];
}
