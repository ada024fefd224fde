// The corp API layer: a typed client for a self-built app's customer-contact (客户联系) API,
// with one access token shared by every instance through the store.
export { createCorpClient, DEFAULT_CORP_API_BASE, type CorpClient, type CorpClientOptions, type CorpClock } from './client.js';
export { CORP_ENV, readCorpEnv, type CorpCredentials } from './env.js';
export { CORP_LIMITS } from './limits.js';
export { CorpApiError, CorpConfigError, CorpHttpError, CorpNetworkError, CorpRequestError, CorpTokenError } from './errors.js';
export { AccessTokenCache, secretHash, type AccessTokenCacheOptions, type FetchedToken } from './token-cache.js';
export { TOKEN_REJECTED_ERRCODES, type Delivery } from './retry-policy.js';
export type { CorpCall } from './api.js';
export type { Attachment, AttachmentType, ImageContent, LinkContent, MiniprogramContent, MediaContent } from './attachments.js';
export type {
  CorpTag,
  CorpTagGroup,
  CorpTagsApi,
  ListCorpTagsRequest,
  AddCorpTagRequest,
  EditCorpTagRequest,
  DeleteCorpTagsRequest,
  MarkTagRequest,
} from './tags.js';
export type {
  ContactsApi,
  ExternalContact,
  ExternalContactDetail,
  FollowUser,
  FollowUserTag,
  FollowInfo,
  BatchGetByUserRequest,
  BatchGetByUserResponse,
} from './contacts.js';
export type { WelcomeApi, WelcomeMessage, WelcomeSendOptions } from './welcome.js';
export type { GroupChatsApi, GroupChat, GroupChatMember, ListGroupChatsRequest, ListGroupChatsResponse } from './group-chats.js';
export type { GroupWelcomeApi, GroupWelcomeContent, AddGroupWelcomeRequest, EditGroupWelcomeRequest } from './group-welcome.js';
export type { MassMessagesApi, MassMessageRequest, MassMessageResult } from './mass-messages.js';
export type { CorpMediaApi, CorpMediaType, CorpUploadedMedia } from './media.js';
export { lookupCorpErrcode } from '../protocol/errcode/table.js';
