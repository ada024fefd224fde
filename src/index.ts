export { WecombotError } from './protocol/errors.js';
export * from './protocol/crypto/index.js';
