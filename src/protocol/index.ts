// The protocol core: WeCom wire formats, no I/O. One export line per area.
export { WecombotError } from '../errors.js';
export { LIMITS } from './limits.js';
export { parseXml, findDtdDeclaration, type XmlDocument, type XmlElement, type XmlValue } from './xml.js';
export * from './callback/index.js';
export * from './reply/index.js';
export * from './message/index.js';
export * from './text/index.js';
export * from './errcode/index.js';
