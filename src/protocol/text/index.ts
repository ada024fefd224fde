export { utf8ByteLength, utf8PrefixIndex, truncateUtf8, decodeUtf8Strict, codePointUtf8Length } from './utf8.js';
export { splitMessage, SPLIT_MIN_BYTES, type SplitOptions } from './split.js';
export { stripLeadingMention, mentionTag, extractMentionTags } from './mentions.js';
export { markdownToText } from './markdown-to-text.js';
