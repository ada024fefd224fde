/** The smart robot's long connection (wecombot/ws). */
export { connectLongConnection, DEFAULT_WS_URL, type LongConnectionHandle, type LongConnectionOptions } from './long-connection.js';
export { downloadMedia, type DownloadOptions } from './media-download.js';
export type { UploadOptions, UploadedMedia } from './media-upload.js';
export type { ConnectionState, ConnectionStats, EndReason } from './connection.js';
export type { BackoffOptions } from './backoff.js';
export { WsError, WS_ERRCODE } from './errors.js';
export { WS_CMD, type WsFrame } from './frames.js';
