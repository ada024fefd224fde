export { WebhookClient, type Targets, type TextOptions, type MediaSendOptions } from './webhook-client.js';
export type { WebhookClientOptions, SendOptions, SendReport, TargetResult } from './types.js';
export {
  resolveTarget,
  robotIdOf,
  apiBase,
  DEFAULT_API_BASE,
  WebhookTargetError,
  type WebhookTarget,
  type ResolvedTarget,
} from './target.js';
export { WebhookNetworkError, WebhookHttpError, WebhookMediaError } from './errors.js';
export { WebhookApiError } from './protocol-adapter.js';
export { RateLimiter, memorySlotSource, type RateLimitOptions, type SlotSource } from './rate-limiter.js';
export { classifyErrcode, isTransient, type RetryOptions } from './retry.js';
export { backoffDelay, type BackoffOptions } from '../retry.js';
export { Outbox, type OutboxOptions, type OutboxEntry, type OutboxCounts } from './outbox/outbox.js';
export type { OutboxRow, OutboxStatus } from './outbox/schema.js';
export type { StoredError } from './outbox/stored-error.js';
export { fitImage, imagePayload, detectImageFormat, loadSharp, type ImageSource, type SharpLike } from './image.js';
export type { MediaSource, MediaType, UploadedMedia } from './media.js';
export type { WebhookLogger } from './logger.js';
export type { NetworkOptions } from './http.js';
export type { ChatInfo } from './chat-info.js';
