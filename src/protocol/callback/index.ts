export type { RawBody, BodyOptions } from './body.js';
export { decodeBody } from './body.js';
export { CallbackParseError, type CallbackParseErrorCode } from './errors.js';
export { parseJsonBody } from './json-body.js';
export { parseGroupCallbackXml, parseGroupCallbackJson } from './group.js';
export { parseAibotCallback } from './aibot.js';
export { parseEncryptedEnvelope, detectCallbackFormat } from './envelope.js';
export { parseCallback, type ParseCallbackOptions } from './parse.js';
export type * from './types.js';
