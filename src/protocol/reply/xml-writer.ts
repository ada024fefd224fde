/** Minimal XML writing for passive replies: CDATA that cannot be broken out of. */

// Characters XML 1.0 forbids even inside CDATA (C0 controls except tab, LF, CR; U+FFFE/U+FFFF;
// lone surrogates). They are dropped: WeCom would reject the whole document otherwise.
const ILLEGAL =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Wrap text in CDATA. A `]]>` inside the text is split across two sections
 * (`]]]]><![CDATA[>`), so user text can never close the section early.
 *
 * @example cdata('a]]>b') === '<![CDATA[a]]]]><![CDATA[>b]]>'
 */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(ILLEGAL, '').replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** `<name><![CDATA[text]]></name>` */
export function element(name: string, text: string): string {
  return `<${name}>${cdata(text)}</${name}>`;
}
