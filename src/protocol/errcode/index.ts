export { lookupErrcode, KNOWN_ERRCODES, type ErrcodeInfo, type Retryable } from './table.js';
export { WebhookApiError } from './webhook-api-error.js';
