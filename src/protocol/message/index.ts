export type * from './types.js';
export { WEBHOOK_MESSAGE_TYPES } from './types.js';
export type * from './template-card-types.js';
export { MessageValidationError, type ValidationIssue, type ValidationIssueCode } from './errors.js';
export { validateMessage, messageIssues } from './validate.js';
export { validateTemplateCard, type CardFlavor } from './validate-template-card.js';
export {
  textMessage,
  markdownMessage,
  markdownV2Message,
  imageMessage,
  newsMessage,
  fileMessage,
  voiceMessage,
  templateCardMessage,
  markdownButton,
  targeting,
  type TargetingOptions,
} from './builders.js';
export { withMentions, type Mentions, type MarkdownV2MentionFallback } from './mentions.js';
