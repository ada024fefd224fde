export { startFakeCorp } from './server.js';
export { FakeCorpState } from './state.js';
export { WelcomeCodeRegistry, type IssuedWelcomeCode, type WelcomeCodeVerdict } from './welcome-codes.js';
export { FAKE_CORP_ENDPOINTS } from './types.js';
export type * from './types.js';
export type { FakeCustomer, FakeGroupChat, FakeGroupMember, FakeTag, FakeTagGroup, FakeTemplate, FakeMassMessage } from './state.js';
