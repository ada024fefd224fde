export { WecombotError } from './protocol/errors.js';
export * from './protocol/crypto/index.js';
export * from './protocol/index.js';
export * from './client/index.js';
