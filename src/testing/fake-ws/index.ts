export { startFakeLongConnection, type FakeLongConnection } from './server.js';
export type * from './types.js';
