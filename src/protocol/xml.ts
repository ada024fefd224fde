/**
 * Safe XML parsing for WeCom callbacks.
 *
 * WeCom XML is flat and small: elements, text and CDATA, no attributes that matter, no DTD.
 * So this parser refuses every DTD outright (no XXE, no entity bomb: nothing is ever
 * expanded), bounds the body size before parsing, decodes UTF-8 strictly and returns every
 * value as a string (MsgId can exceed 2^53, so numbers are never converted).
 */
import { createRequire } from 'node:module';
import { decodeBody, type BodyOptions, type RawBody } from './callback/body.js';
import { CallbackParseError } from './callback/errors.js';
import { parseWeComXml } from './xml-fast.js';
import type { XmlDocument, XmlElement } from './xml-types.js';

// Re-exported so that existing importers of `xml.js` keep working unchanged.
export type { XmlDocument, XmlElement, XmlValue } from './xml-types.js';

type FastXmlParser = typeof import('fast-xml-parser');

/**
 * fast-xml-parser, loaded on the first body the hand-written reader leaves to it: WeCom's own
 * callbacks never get here, so a cold start does not compile it (~65 KB with its helpers). A
 * direct `require` lets bundlers put it in a file of its own (`wecombot build` vendors it);
 * plain ESM has no `require`, so it goes through createRequire.
 */
let validating: { parser: InstanceType<FastXmlParser['XMLParser']>; validator: FastXmlParser['XMLValidator'] } | undefined;
function validatingParser(): NonNullable<typeof validating> {
  if (validating) return validating;
  let lib: FastXmlParser | undefined;
  if (typeof require === 'function') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: see above
      lib = require('fast-xml-parser') as FastXmlParser;
    } catch {
      // An ESM bundle's `require` shim that cannot load packages: resolve from this file instead.
    }
  }
  lib ??= createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
  const parser = new lib.XMLParser({
    preserveOrder: true,
    ignoreAttributes: true,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    commentPropName: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  validating = { parser, validator: lib.XMLValidator };
  return validating;
}

/**
 * Parse an XML body safely. Throws {@link CallbackParseError}: `callback_body_too_large`,
 * `callback_body_not_utf8`, `callback_body_empty`, `callback_xml_dtd_forbidden` (any
 * `<!DOCTYPE`/`<!ENTITY` outside CDATA) or `callback_xml_malformed`.
 *
 * Text is trimmed; CDATA is kept literally (then trimmed); the five predefined entities and
 * numeric character references are decoded in plain text, because that is XML itself and
 * cannot recurse. Any other `&name;` stays as written.
 *
 * @example parseXml('<xml><MsgId>1</MsgId></xml>').root // { MsgId: '1' }
 */
export function parseXml(body: RawBody, options: BodyOptions = {}): XmlDocument {
  const text = decodeBody(body, options);
  const forbidden = findDtdDeclaration(text);
  if (forbidden) {
    throw new CallbackParseError('callback_xml_dtd_forbidden', `XML body contains a forbidden ${forbidden} declaration`);
  }
  // The hand-written reader covers what WeCom sends; anything else takes the validating path.
  return parseWeComXml(text) ?? parseXmlValidated(text);
}

/**
 * The validating path of {@link parseXml}: fast-xml-parser validates, then parses. `text` must
 * already be decoded and free of DTD declarations. Exported for the differential tests that
 * check the fast path against it; callers use {@link parseXml}.
 *
 * @internal
 */
export function parseXmlValidated(text: string): XmlDocument {
  const { parser, validator } = validatingParser();
  const valid = validator.validate(text);
  if (valid !== true) {
    throw new CallbackParseError(
      'callback_xml_malformed',
      `XML body is not well formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (cause) {
    throw new CallbackParseError('callback_xml_malformed', `XML body is not well formed: ${(cause as Error).message}`, {
      cause,
    });
  }
  const roots = (nodes as OrderedNode[]).filter((node) => elementName(node) !== undefined);
  if (roots.length !== 1) {
    throw new CallbackParseError('callback_xml_malformed', `XML body must have exactly one root element, found ${roots.length}`);
  }
  const root = roots[0] as OrderedNode;
  const rootName = elementName(root) as string;
  return { rootName, root: convert(root[rootName] as OrderedNode[]) };
}

/** Returns 'DOCTYPE' or 'ENTITY' when such a declaration appears outside a CDATA section. */
export function findDtdDeclaration(text: string): string | undefined {
  // A user may legitimately write "<!DOCTYPE html>" inside a message (CDATA), so CDATA is skipped.
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<!', i);
    if (lt < 0) return undefined;
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return undefined; // unterminated CDATA: the validator reports it
      i = end + 3;
      continue;
    }
    const word = text.slice(lt + 2, lt + 9).toUpperCase();
    if (word.startsWith('DOCTYPE')) return 'DOCTYPE';
    if (word.startsWith('ENTITY')) return 'ENTITY';
    i = lt + 2;
  }
}

type OrderedNode = Record<string, unknown>;

function elementName(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== '#text' && key !== '#cdata' && key !== ':@') return key;
  }
  return undefined;
}

function convert(children: OrderedNode[]): XmlElement | string {
  let text = '';
  let element: XmlElement | undefined;
  for (const child of children) {
    if (typeof child['#text'] === 'string') {
      text += decodeReferences(child['#text']);
    } else if (Array.isArray(child['#cdata'])) {
      for (const part of child['#cdata'] as OrderedNode[]) {
        if (typeof part['#text'] === 'string') text += part['#text'];
      }
    } else {
      const name = elementName(child);
      if (name === undefined) continue;
      element ??= Object.create(null) as XmlElement;
      const value = convert(child[name] as OrderedNode[]);
      const existing = element[name];
      if (existing === undefined) element[name] = value;
      else if (Array.isArray(existing)) existing.push(value);
      else element[name] = [existing, value];
    }
  }
  // Mixed content (text between child elements) does not occur in WeCom XML; the elements win.
  return element ?? text.trim();
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] as string;
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    const legal = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
    return legal ? String.fromCodePoint(cp) : whole;
  });
}
