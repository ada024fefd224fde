/**
 * `wecombot/testing`: drive a bot through the full pipeline without WeCom.
 *
 * - `createTestGroup(bot or options)`: a fake group chat sending really signed and encrypted
 *   callbacks (`group.member('alice').says('@bot ping')`), with the passive reply decrypted and
 *   webhook pushes recorded by the fake WeCom API server;
 * - `startFakeWecom()`: the fake WeCom API (webhook send, upload, get_chat_info, AI bot response_url);
 * - `startFakeLongConnection()`: the smart robot's long connection (frames, checks, injected faults);
 * - `manualClock()`: time that moves only when told, for ack-budget tests.
 */
export * from './fake-group/index.js';
export * from './fake-wecom/index.js';
export * from './fake-corp/index.js';
export * from './fake-corp/test-corp.js';
export * from './fake-ws/index.js';
export { fakeEmbedding, startFakeEmbeddings, type FakeEmbeddingsOptions, type FakeEmbeddingsServer } from './fake-embeddings.js';
export { startFakeOpenMeteo, startFakeQWeather, type FakeWeatherServer, type SeenRequest } from './fake-weather.js';
export { manualClock, type ManualClock } from '../bot/clock.js';
