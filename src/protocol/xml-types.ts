/**
 * The shapes of a parsed WeCom XML document.
 *
 * They live apart from both readers so that the validating parser (`xml.ts`) and the fast
 * subset reader (`xml-fast.ts`) can share them without importing each other: `xml.ts` calls
 * the fast reader, and the fast reader only needs these types.
 */

/** A parsed XML value: text (trimmed), an element with children, or repeated elements. */
export type XmlValue = string | XmlElement | XmlValue[];

/** An element's children by name; a name that occurs more than once maps to an array. */
export interface XmlElement {
  [name: string]: XmlValue;
}

/** The document: the root element's name and content. */
export interface XmlDocument {
  rootName: string;
  root: XmlElement | string;
}
