export { WecombotError } from './protocol/errors.js';
