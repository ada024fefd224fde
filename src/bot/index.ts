/** The bot framework: createBot, router, context, reply envelope, modules. */
export { Bot, BotError, createBot, type ErrorHandler } from './bot.js';
export {
  Composer,
  type Middleware,
  type MiddlewareFn,
  type MiddlewareObj,
  type NextFunction,
  type Predicate,
  type BoundaryError,
} from './composer.js';
export { Context, type ChatDetails, type ChatMember } from './context.js';
export { FILTERS, matchesFilter, type FilterQuery, type FilterMessage, type FilterContext, type RoutedMessage } from './filters.js';
export type { HearsTrigger, HearsContext, CommandContext } from './triggers.js';
export { botRequest, parseQuery, formatQuery, normalizeHeaders, type BotRequest, type BotResponse } from './request.js';
export type { BotOptions, RobotSecrets, BotPaths } from './options.js';
export type { CorpAppOptions } from './corp/options.js';
export type { WelcomeContent, WelcomeOutcome } from './corp/welcome.js';
export type { ReplyContent, ReplyOptions as BotReplyOptions } from './reply-content.js';
export type { ReplyReceipt, ReplyChannel } from './reply-envelope.js';
export type { ReplyStream } from './stream.js';
export type { Deadline } from './deadline.js';
export { DEFAULT_ACK_BUDGET_MS, MAX_ACK_BUDGET_MS } from './deadline.js';
export { systemClock, manualClock, type Clock, type ManualClock } from './clock.js';
export {
  defineBotModule,
  isBotModule,
  bundleDir,
  type BotModule,
  type BotModuleDefinition,
  type ModuleContext,
  type ModuleConsumes,
  type ModuleMigration,
  type ModuleServices,
  type ModuleKv,
  type ModuleFactory,
} from './module.js';
export { ModuleComposer } from './module-composer.js';
export {
  EventBus,
  type DomainEvents,
  type DomainEvent,
  type DomainEventPayload,
  type DomainEventListener,
  type ModuleEvents,
} from './events.js';
export {
  actionOf,
  matchAction,
  buttonId,
  splitButtonId,
  type ActionClick,
  type GroupClick,
  type AibotClick,
  type ActionTrigger,
  type ActionMatch,
  type ActionContext,
} from './action.js';
export type { ReplyButton } from './buttons.js';
export type { ReplyCard } from './reply-card.js';
export type { UpdatedCard, UpdateCardOptions } from './update-card.js';
export { session, type SessionFlavor } from './session-middleware.js';
export { SessionError, type SessionOptions, type SessionScope } from './session.js';
export { RouteError, type RouteErrorCode } from './routes/route-error.js';
export type { RouteDefinition, RouteAuth, RouteContext, RouteMethod, RouteRateLimit, RouteRequest, RouteResponse } from './routes/types.js';
export type { PushOptions } from './push.js';
export type { EmulatorCommand, EmulatorApi, EmulatorBot, EmulatorMember } from './emulator.js';
export type { JobContext, JobDefinition, JobHandler, JobRunResult } from './jobs.js';
export type { BotTransport } from './transport.js';
export { BotRequestError, BotConfigError, ReplyError, type BotRequestErrorCode } from './errors.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { diagnosticBot, DIAGNOSTIC_HELP } from './diagnostic.js';
