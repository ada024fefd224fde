/**
 * The logger shape the client calls: pino's (`logger.warn(obj, msg)`), so a pino logger can be
 * passed as is. Only redacted labels and robot ids are ever logged, never a webhook key.
 */
export interface WebhookLogger {
  debug?(obj: Record<string, unknown>, msg: string): void;
  info?(obj: Record<string, unknown>, msg: string): void;
  warn?(obj: Record<string, unknown>, msg: string): void;
  error?(obj: Record<string, unknown>, msg: string): void;
}
