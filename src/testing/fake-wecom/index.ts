export { startFakeWecom } from './server.js';
export { wecomErrmsg } from './errmsg.js';
export { validateSendBody } from './send-validation.js';
export type * from './types.js';
