/**
 * A fast path for the XML WeCom actually sends.
 *
 * WeCom callbacks use a tiny subset of XML: an optional `<?xml …?>` declaration, elements
 * without attributes, text and CDATA. Reading that subset by hand is several times faster
 * than validating and parsing with fast-xml-parser, which dominated the cost of a callback.
 *
 * This reader never throws and never decides that a document is malformed: whenever it sees
 * anything outside the subset (attributes, comments, processing instructions, entity or
 * character references, carriage returns, unusual names, mixed content, deep nesting, a
 * mismatched or unclosed tag …) it returns `undefined`, and {@link parseXml} hands the text
 * to the validating parser, so results and error codes stay exactly what they were.
 */
import type { XmlDocument, XmlElement, XmlValue } from './xml-types.js';

/** WeCom nests at most four levels; anything deeper is left to the validating parser. */
const MAX_DEPTH = 32;

/** Declarations WeCom-like senders write; anything fancier goes to the validating parser. */
const DECLARATION =
  /^<\?xml(?:[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.[0-9]"|'1\.[0-9]'))?(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/;

interface Frame {
  name: string;
  element: XmlElement | undefined;
  text: string;
}

/**
 * Read `text` (already size-checked, UTF-8 decoded, BOM stripped and free of DTD declarations)
 * if it stays inside the WeCom subset; otherwise return `undefined` so the caller falls back.
 * When it returns a document, that document deep-equals what the validating path returns.
 */
export function parseWeComXml(text: string): XmlDocument | undefined {
  // fast-xml-parser normalises line ends; rather than imitate it, leave such bodies to it.
  if (text.includes('\r')) return undefined;
  let i = 0;
  if (text.startsWith('<?')) {
    const declaration = DECLARATION.exec(text);
    if (declaration === null) return undefined;
    i = declaration[0].length;
  }
  i = skipSpace(text, i);
  const stack: Frame[] = [];
  let rootName: string | undefined;
  let root: XmlElement | string | undefined;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return undefined;
    const frame = stack[stack.length - 1];
    if (lt > i) {
      const raw = text.slice(i, lt);
      // References are decoded by the validating path; outside the root only blanks may occur.
      if (frame === undefined || raw.includes('&')) return undefined;
      frame.text += raw;
    }
    const next = text.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      if (frame === undefined) return undefined;
      const end = lt + 2 + frame.name.length;
      if (text.charCodeAt(end) !== 0x3e /* > */ || !text.startsWith(frame.name, lt + 2)) return undefined;
      let value: XmlElement | string;
      if (frame.element !== undefined) {
        // Mixed content never occurs in WeCom XML; let the validating path decide about it.
        if (frame.text.trim() !== '') return undefined;
        value = frame.element;
      } else {
        value = frame.text.trim();
      }
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent === undefined) {
        rootName = frame.name;
        root = value;
        i = skipSpace(text, end + 1);
        if (i !== n) return undefined;
        break;
      }
      addChild(parent, frame.name, value);
      i = end + 1;
    } else if (next === 0x21 /* ! */) {
      if (frame === undefined || !text.startsWith('<![CDATA[', lt)) return undefined;
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return undefined;
      frame.text += text.slice(lt + 9, end);
      i = end + 3;
    } else {
      let j = lt + 1;
      let c = text.charCodeAt(j);
      if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a))) return undefined; // names start with A-Z a-z
      do c = text.charCodeAt(++j);
      while ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f);
      const name = text.slice(lt + 1, j);
      // fast-xml-parser renames or refuses names such as toString and constructor.
      if (name in Object.prototype || name === 'prototype') return undefined;
      if (c === 0x3e /* > */) {
        if (stack.length >= MAX_DEPTH) return undefined;
        stack.push({ name, element: undefined, text: '' });
        i = j + 1;
      } else if (c === 0x2f /* / */ && text.charCodeAt(j + 1) === 0x3e) {
        if (frame === undefined) {
          rootName = name;
          root = '';
          i = skipSpace(text, j + 2);
          if (i !== n) return undefined;
          break;
        }
        addChild(frame, name, '');
        i = j + 2;
      } else {
        return undefined; // attributes, blanks inside the tag, or an odd character
      }
    }
  }
  if (rootName === undefined || root === undefined || stack.length !== 0) return undefined;
  return { rootName, root };
}

function addChild(frame: Frame, name: string, value: XmlElement | string): void {
  const element = (frame.element ??= Object.create(null) as XmlElement);
  const existing: XmlValue | undefined = element[name];
  if (existing === undefined) element[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else element[name] = [existing, value];
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) return i;
    i++;
  }
}
