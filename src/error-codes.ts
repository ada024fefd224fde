/**
 * Every `code` a wecombot error can carry, in one place. Codes are stable (a rename is a
 * breaking change) and lower_snake_case; branch on them, never on messages:
 *
 * @example
 * import { ErrorCode, WecombotError } from 'wecombot';
 * try { await client.sendOrThrow(url, message); }
 * catch (err) {
 *   if (!(err instanceof WecombotError)) throw err;
 *   switch (err.code) {
 *     case ErrorCode.wecom_rate_limited: return later();
 *     case ErrorCode.webhook_timeout: return maybeDelivered();
 *     default: throw err;
 *   }
 * }
 *
 * `WecombotError` takes a code of this registry only, so a new code is a compile error until
 * it is added here. Add it to its layer's group, with a one-line comment saying what broke.
 * This file imports nothing: every layer may use it.
 */
export const ErrorCode = Object.freeze({
  // ── general ─────────────────────────────────────────────────────────────────────────
  /** A stored error whose code was never recorded (outbox rows written before codes were kept apart). */
  unknown: 'unknown',

  // ── protocol: callback crypto (WXBizMsgCrypt; the official number is on `wecomCode`) ──
  /** msg_signature does not match the token, timestamp, nonce and ciphertext. */
  signature_mismatch: 'signature_mismatch',
  /** The callback timestamp is outside the allowed window (clock skew or a replay). */
  timestamp_stale: 'timestamp_stale',
  /** The callback timestamp is not decimal seconds. */
  timestamp_invalid: 'timestamp_invalid',
  /** The configured Token is empty or has spaces or control characters. */
  token_invalid: 'token_invalid',
  /** msg_signature, timestamp, nonce, echostr or Encrypt is missing. */
  missing_field: 'missing_field',
  /** The callback query string has a malformed %-escape. */
  query_invalid: 'query_invalid',
  /** The EncodingAESKey is not 43 base64 characters (32 bytes). */
  aes_key_invalid: 'aes_key_invalid',
  /** The decrypted receiveid is not the configured one. */
  receive_id_mismatch: 'receive_id_mismatch',
  /** Encrypting a reply failed (bad random prefix, message over 4 GiB). */
  encrypt_failed: 'encrypt_failed',
  /** The ciphertext is empty or not a whole number of AES blocks. */
  ciphertext_length_invalid: 'ciphertext_length_invalid',
  /** The decrypted PKCS#7 padding is wrong (usually a wrong EncodingAESKey). */
  padding_invalid: 'padding_invalid',
  /** The decrypted length header does not fit the buffer (usually a wrong EncodingAESKey). */
  length_field_invalid: 'length_field_invalid',
  /** The decrypted message is not UTF-8. */
  message_not_utf8: 'message_not_utf8',
  /** The ciphertext is not standard base64. */
  base64_invalid: 'base64_invalid',
  /** A reply envelope field (timestamp, nonce, ciphertext, signature) is malformed. */
  envelope_invalid: 'envelope_invalid',

  // ── protocol: callback parsing ──────────────────────────────────────────────────────
  /** The callback body is empty. */
  callback_body_empty: 'callback_body_empty',
  /** The callback body is over the size limit. */
  callback_body_too_large: 'callback_body_too_large',
  /** The callback body is not UTF-8. */
  callback_body_not_utf8: 'callback_body_not_utf8',
  /** The XML body has a DOCTYPE or ENTITY declaration (never sent by WeCom). */
  callback_xml_dtd_forbidden: 'callback_xml_dtd_forbidden',
  /** The XML body is not well formed. */
  callback_xml_malformed: 'callback_xml_malformed',
  /** The JSON body does not parse, or is not an object. */
  callback_json_malformed: 'callback_json_malformed',
  /** A field WeCom always sends is absent. */
  callback_missing_field: 'callback_missing_field',
  /** A field has a value WeCom does not document. */
  callback_invalid_field: 'callback_invalid_field',
  // (append callback codes here, e.g. of the flat-JSON dialect)

  // ── protocol: outgoing messages ─────────────────────────────────────────────────────
  /** A required message field is missing. */
  message_missing_field: 'message_missing_field',
  /** A message field is over its length limit. */
  message_too_long: 'message_too_long',
  /** A message list has more items than allowed. */
  message_too_many: 'message_too_many',
  /** A message list has fewer items than required. */
  message_too_few: 'message_too_few',
  /** A message field has a value WeCom does not accept. */
  message_invalid_value: 'message_invalid_value',
  /** The message type cannot mention anyone (markdown_v2). */
  message_mention_unsupported: 'message_mention_unsupported',
  /** splitMessage was given a limit below the smallest usable one. */
  split_limit_invalid: 'split_limit_invalid',

  // ── protocol: webhook errcodes (see protocol/errcode/table.ts for each errcode) ─────
  /** errcode -1: WeCom is busy; retried with back-off. */
  wecom_system_busy: 'wecom_system_busy',
  /** errcode 40004: upload type is not file/voice, or a voice is not AMR. */
  wecom_invalid_media_type: 'wecom_invalid_media_type',
  /** errcode 40006: the uploaded file is too small. */
  wecom_invalid_file_size: 'wecom_invalid_file_size',
  /** errcode 40007: the media_id is unknown, expired or of another robot. */
  wecom_invalid_media_id: 'wecom_invalid_media_id',
  /** errcode 40008: msgtype is missing or unknown. */
  wecom_invalid_message_type: 'wecom_invalid_message_type',
  /** errcode 40029: a GetChatInfoUrl or response_url code was used already or expired. */
  wecom_invalid_code: 'wecom_invalid_code',
  /** errcode 40058: a field is too long or malformed. */
  wecom_invalid_parameter: 'wecom_invalid_parameter',
  /** errcode 42044: a news_notice card lacks card_image.url. */
  wecom_card_image_missing: 'wecom_card_image_missing',
  /** errcode 44001: the uploaded media is empty. */
  wecom_empty_media: 'wecom_empty_media',
  /** errcode 44004: the message content is empty. */
  wecom_empty_content: 'wecom_empty_content',
  /** errcode 45001: the upload is too large. */
  wecom_media_too_large: 'wecom_media_too_large',
  /** errcode 45002: the message is too large. */
  wecom_content_too_large: 'wecom_content_too_large',
  /** errcode 45007: a voice plays longer than 60 seconds. */
  wecom_voice_too_long: 'wecom_voice_too_long',
  /** errcode 45008: a news message has more than 8 articles. */
  wecom_too_many_articles: 'wecom_too_many_articles',
  /** errcode 45009: over 20 messages a minute for this robot. */
  wecom_rate_limited: 'wecom_rate_limited',
  /** errcode 45033: too many concurrent calls. */
  wecom_too_many_concurrent: 'wecom_too_many_concurrent',
  /** errcode 93000: the webhook key is wrong or the robot was removed. */
  wecom_invalid_webhook_url: 'wecom_invalid_webhook_url',
  /** errcode 93004: the robot is disabled. */
  wecom_robot_disabled: 'wecom_robot_disabled',
  /** errcode 93005: this single-chat message is not allowed. */
  wecom_single_chat_not_allowed: 'wecom_single_chat_not_allowed',
  /** errcode 93008: the robot is no longer in the group. */
  wecom_robot_not_in_group: 'wecom_robot_not_in_group',
  /** errcode 301017: a voice upload is not AMR. */
  wecom_voice_not_amr: 'wecom_voice_not_amr',
  /** A non-zero errcode the table does not know; the number is on `errcode`. */
  wecom_unknown_errcode: 'wecom_unknown_errcode',

  // ── client: webhook sends, uploads, media ───────────────────────────────────────────
  /** No WeCom answer: connection refused or reset, DNS, TLS, proxy. */
  webhook_network: 'webhook_network',
  /** No WeCom answer within the timeout; the message may have been delivered. */
  webhook_timeout: 'webhook_timeout',
  /** A non-200 HTTP status, or a body that is not WeCom JSON. */
  webhook_http: 'webhook_http',
  /** upload_media answered without a media_id. */
  webhook_upload: 'webhook_upload',
  /** A webhook target is not a usable URL or key, or none was given. */
  webhook_target: 'webhook_target',
  /** An outbox send was skipped because another worker took its lease. */
  webhook_skipped: 'webhook_skipped',
  /** A media file cannot be read. */
  media_read: 'media_read',
  /** A media file is 5 bytes or smaller. */
  media_too_small: 'media_too_small',
  /** A media file is over its type's size limit. */
  media_too_large: 'media_too_large',
  /** A voice file is not AMR. */
  media_not_amr: 'media_not_amr',
  /** An image file cannot be read. */
  image_read: 'image_read',
  /** An image must be re-encoded or shrunk, and sharp is not installed. */
  image_needs_sharp: 'image_needs_sharp',
  /** An image cannot be decoded. */
  image_decode: 'image_decode',
  /** An image cannot be shrunk under the size limit. */
  image_too_large: 'image_too_large',

  // ── store ───────────────────────────────────────────────────────────────────────────
  /** A store URL or option is malformed. */
  store_config: 'store_config',
  /** The database or Redis cannot be reached or refused the connection. */
  store_connection: 'store_connection',
  /** The store cannot provide a feature (e.g. SQL without a SQL engine, a driver not installed). */
  store_unsupported: 'store_unsupported',
  /** A migration failed; nothing of its batch was recorded. */
  store_migration: 'store_migration',
  /** A store method got an invalid argument (empty key, bad TTL, …). */
  store_argument: 'store_argument',
  /** The light in-memory store's tables were used before migrate(). */
  store_tables_not_ready: 'store_tables_not_ready',
  // (append store and session codes here)

  // ── scheduler ───────────────────────────────────────────────────────────────────────
  /** A cron expression or its timezone was refused. */
  scheduler_cron: 'scheduler_cron',
  /** A job definition is unusable (bad or duplicate name, bad retry policy). */
  scheduler_config: 'scheduler_config',
  /** A job was named that was never scheduled. */
  scheduler_unknown_job: 'scheduler_unknown_job',

  // ── search (knowledge base) ─────────────────────────────────────────────────────────
  /** An index file is damaged or of another format version. */
  kb_index_format: 'kb_index_format',
  /** An index file cannot be read or written, or the knowledge base is closed. */
  kb_index_read: 'kb_index_read',
  /** Documents cannot be ingested (e.g. not a folder). */
  kb_ingest: 'kb_ingest',
  /** A knowledge-base spec or option is invalid. */
  kb_spec: 'kb_spec',
  /** A remote search API failed or answered in an unexpected shape. */
  kb_remote: 'kb_remote',
  /** The PostgreSQL search backend failed. */
  kb_postgres: 'kb_postgres',
  /** An evaluation queries file is unreadable or malformed. */
  kb_queries: 'kb_queries',
  /** The embeddings endpoint (hybrid search) failed, or answered vectors of the wrong shape. */
  kb_embeddings: 'kb_embeddings',

  // ── bot: requests, configuration, replies ───────────────────────────────────────────
  /** The HTTP method is not one a callback uses. */
  bot_method_not_allowed: 'bot_method_not_allowed',
  /** No callback is served at this path. */
  bot_not_found: 'bot_not_found',
  /** The callback query lacks msg_signature, timestamp, nonce or echostr. */
  bot_missing_query: 'bot_missing_query',
  /** The request body is over the limit. */
  bot_body_too_large: 'bot_body_too_large',
  /** The request signature does not match (the callback token, or a flat-JSON shared secret). */
  bot_signature_mismatch: 'bot_signature_mismatch',
  /** The request timestamp is too old or too far ahead. */
  bot_timestamp_stale: 'bot_timestamp_stale',
  /** The callback cannot be decrypted with the configured EncodingAESKey. */
  bot_undecryptable: 'bot_undecryptable',
  /** The callback body cannot be parsed. */
  bot_malformed: 'bot_malformed',
  /** No robot of the kind this path serves is configured. */
  bot_robot_not_configured: 'bot_robot_not_configured',
  /** A flat-JSON (gateway) callback arrived, but the `flatJson` dialect is off. */
  bot_flat_json_disabled: 'bot_flat_json_disabled',
  /** A flat-JSON callback lacks its signature, timestamp or token header. */
  bot_auth_missing: 'bot_auth_missing',
  /** A flat-JSON callback's token does not match the shared secret (a bad HMAC is bot_signature_mismatch). */
  bot_token_mismatch: 'bot_token_mismatch',
  // (append route codes here)
  /** A module route's body is not what it accepts (not UTF-8, not JSON, a bad field). */
  route_body_invalid: 'route_body_invalid',
  /** A module route's body is over the route's limit. */
  route_body_too_large: 'route_body_too_large',
  /** A module route's authentication failed (signature, token). */
  route_unauthorized: 'route_unauthorized',
  /** The caller's address is not on the route's allow-list. */
  route_forbidden: 'route_forbidden',
  /** The caller exceeded the route's rate limit. */
  route_rate_limited: 'route_rate_limited',
  /** A module route's handler threw. */
  route_handler_failed: 'route_handler_failed',
  /** The bot configuration is invalid; the message names the field. */
  bot_config_invalid: 'bot_config_invalid',
  /** A handler threw something that is not a WecombotError. */
  bot_handler_failed: 'bot_handler_failed',
  /** A reply has no channel left (no webhook, response_url already used). */
  reply_no_channel: 'reply_no_channel',
  /** A reply this kind of robot or callback cannot send. */
  reply_unsupported: 'reply_unsupported',
  /** A POST to the AI bot's response_url failed. */
  response_url_failed: 'response_url_failed',
  /** A bot job failed after its retries. */
  job_failed: 'job_failed',
  /** A session stayed held by another handler longer than `waitMs`. */
  session_busy: 'session_busy',
  /** A stored session value is not JSON written by wecombot. */
  session_unreadable: 'session_unreadable',
  /** A session could not be held because the store did not answer. */
  session_unavailable: 'session_unavailable',
  // (append session and action codes here)

  // ── bots: ready-made bots ───────────────────────────────────────────────────────────
  /** A ready-made bot's options are invalid; the message names the field. */
  bot_options_invalid: 'bot_options_invalid',
  /** The notifier has no webhook to send to. */
  notifier_no_webhook: 'notifier_no_webhook',
  /** A report template is malformed (unclosed blocks). */
  template_invalid: 'template_invalid',
  /** A report or weather source failed. */
  source_failed: 'source_failed',
  /** The sign-up ledger (the database) failed: nothing was recorded, and the member was told so. */
  signup_unavailable: 'signup_unavailable',
  /** An FAQ Q&A file (YAML, CSV or Markdown) is malformed; the message gives the file, the line and the reason. */
  faq_source_invalid: 'faq_source_invalid',
  /** An FAQ index file is not one `wecombot faq index` wrote, or is of another format version. */
  faq_index_invalid: 'faq_index_invalid',
  /** A welcome coupon pool file or pattern is malformed; the message gives the file, the line and the reason. */
  welcome_pool_invalid: 'welcome_pool_invalid',
  /** The welcome coupon store failed: no coupon was issued for this welcome, and the member was told so. */
  welcome_coupon_unavailable: 'welcome_coupon_unavailable',
  /** A tags CSV (import) is malformed; the message gives the line and the reason. */
  tags_csv_invalid: 'tags_csv_invalid',
  /** A campaign segment expression does not parse; the message gives the position. */
  segment_invalid: 'segment_invalid',
  /** The campaign ledger (the database) failed: the run stopped where it was and resumes from there. */
  campaign_unavailable: 'campaign_unavailable',

  // ── corp: the corp API of a self-built app (src/corp/; each errcode in protocol/errcode/table.ts) ──
  /** errcode 40001: the corpid/secret pair was refused (wrong, reset, app disabled), or a token of another app. */
  wecom_invalid_credential: 'wecom_invalid_credential',
  /** errcode 40003: a userid is unknown, malformed, or of someone who left. */
  wecom_invalid_userid: 'wecom_invalid_userid',
  /** errcode 40013: the corpid is wrong. */
  wecom_invalid_corp_id: 'wecom_invalid_corp_id',
  /** errcode 40014: the access_token is not valid (the corp client refreshes it once by itself). */
  wecom_invalid_access_token: 'wecom_invalid_access_token',
  /** errcode 40068: a tag or tag-group id is unknown. */
  wecom_invalid_tag_id: 'wecom_invalid_tag_id',
  /** errcode 40071: a tag or tag group of this name exists already. */
  wecom_tag_name_exists: 'wecom_tag_name_exists',
  /** errcode 40091: the secret is not valid (e.g. one of another corp). */
  wecom_invalid_secret: 'wecom_invalid_secret',
  /** errcode 40096: an external_userid is unknown, of the wrong kind, or outside the app's visible range. */
  wecom_invalid_external_userid: 'wecom_invalid_external_userid',
  /** errcode 40099: the external-contact count is at its limit. */
  wecom_external_contact_limit: 'wecom_external_contact_limit',
  /** errcode 40126: the corp has its 3000 corp tags already. */
  wecom_corp_tag_limit: 'wecom_corp_tag_limit',
  /** errcode 41001: the request carried no access_token. */
  wecom_access_token_missing: 'wecom_access_token_missing',
  /** errcode 41048: a mass message has no customer to go to. */
  wecom_no_recipients: 'wecom_no_recipients',
  /** errcode 41049: send_welcome_msg without a welcome_code. */
  wecom_welcome_code_missing: 'wecom_welcome_code_missing',
  /** errcode 41050: the welcome_code is unknown or expired (it lives 20 seconds). */
  wecom_invalid_welcome_code: 'wecom_invalid_welcome_code',
  /** errcode 41051: a welcome was delivered already (or customer and staff started chatting); never retried. */
  wecom_welcome_already_delivered: 'wecom_welcome_already_delivered',
  /** errcode 41055: the corp has its 100 group-welcome templates already. */
  wecom_group_welcome_template_limit: 'wecom_group_welcome_template_limit',
  /** errcode 41058: the group-welcome template was created by another app. */
  wecom_group_welcome_template_not_owned: 'wecom_group_welcome_template_not_owned',
  /** errcode 41063: the mass message is still being dispatched. */
  wecom_mass_message_dispatching: 'wecom_mass_message_dispatching',
  /** errcode 41064: more than 9 attachments. */
  wecom_too_many_attachments: 'wecom_too_many_attachments',
  /** errcode 41065: an attachment msgtype is not image, link, miniprogram, video or file. */
  wecom_invalid_attachment_type: 'wecom_invalid_attachment_type',
  /** errcode 41080: an attachment is too large. */
  wecom_attachment_too_large: 'wecom_attachment_too_large',
  /** errcode 41081: an attachment image's resolution is too high. */
  wecom_image_resolution_too_large: 'wecom_image_resolution_too_large',
  /** errcode 41082: an attachment video is too long. */
  wecom_video_too_long: 'wecom_video_too_long',
  /** errcode 41088: the attachment list is empty. */
  wecom_attachments_empty: 'wecom_attachments_empty',
  /** errcode 41096: another app is sending the welcome of this code; not delivered yet. */
  wecom_welcome_in_progress: 'wecom_welcome_in_progress',
  /** errcode 42001: the access_token expired (the corp client refreshes it once by itself). */
  wecom_access_token_expired: 'wecom_access_token_expired',
  /** errcode 48001: the API is not authorised for this corp. */
  wecom_api_not_authorized: 'wecom_api_not_authorized',
  /** errcode 48002: the app may not call this API (not among 客户联系's 可调用接口的应用). */
  wecom_api_not_permitted: 'wecom_api_not_permitted',
  /** errcode 60011: no permission on this member, department or tag (outside the visible range). */
  wecom_no_privilege: 'wecom_no_privilege',
  /** errcode 60020: the caller's IP is not among the app's trusted IPs (企业可信IP). */
  wecom_untrusted_ip: 'wecom_untrusted_ip',
  /** errcode 81017: too many items at once (e.g. groupchat/list without owner_filter). */
  wecom_too_many_items: 'wecom_too_many_items',
  /** errcode 84061: this staff member and customer have no external-contact relationship. */
  wecom_no_external_contact_relation: 'wecom_no_external_contact_relation',
  /** errcode 84074: the app has no external-contact permission. */
  wecom_no_external_contact_permission: 'wecom_no_external_contact_permission',
  /** errcode 301002: the access_token is of another app than the agentid in the body. */
  wecom_app_mismatch: 'wecom_app_mismatch',
  /** WECOM_CORP_ID / WECOM_CORP_SECRET or a corp client option is missing or malformed; the message names it. */
  corp_config: 'corp_config',
  /** A corp API request field is missing, over its limit or malformed; the message names the field. */
  corp_request_invalid: 'corp_request_invalid',
  /** No corp API answer: connection refused or reset, DNS, TLS, proxy. */
  corp_network: 'corp_network',
  /** No corp API answer within the timeout; a write may or may not have been applied. */
  corp_timeout: 'corp_timeout',
  /** The corp API answered a non-200 status or a body that is not WeCom JSON. */
  corp_http: 'corp_http',
  /** No access token: gettoken answered without one, or another instance's fetch did not end in time. */
  corp_token_unavailable: 'corp_token_unavailable',

  // ── identity: one customer across external_userid, unionid and mobile (src/identity/) ──
  /** An identity key (external_userid, unionid, mobile, staff userid) is malformed, or none was given. */
  identity_invalid: 'identity_invalid',

  // ── ws: the smart robot's long connection (src/ws/) ────────────────────────────────
  /** The long connection's options are invalid (bot id, secret, URL, intervals); the message names the field. */
  ws_config: 'ws_config',
  /** WeCom refused the subscription: bot id or secret (WECOM_AIBOT_SECRET) is wrong, or the bot is not in long-connection mode. */
  ws_auth_failed: 'ws_auth_failed',
  /** Another connection of the same bot subscribed and WeCom closed this one (disconnected_event). */
  ws_kicked_out: 'ws_kicked_out',
  /** The connection closed (shutdown or kick-out) before a reply frame was acknowledged. */
  ws_closed: 'ws_closed',
  /** WeCom answered a reply frame with a non-zero errcode (846605 invalid req_id, 846608 stream expired, ...). */
  ws_reply_failed: 'ws_reply_failed',
  /** No acknowledgement of a frame within the ack timeout: delivery is unknown. */
  ws_ack_timeout: 'ws_ack_timeout',
  /** A media download or upload over the long connection failed (size, key, decrypt, chunk). */
  ws_media: 'ws_media',

  // ── cli ─────────────────────────────────────────────────────────────────────────────
  /** A command line is invalid. */
  cli_usage: 'cli_usage',
  /** A file named on the command line cannot be read. */
  cli_read: 'cli_read',
  /** `-` asks for stdin, but stdin is a terminal. */
  cli_stdin_tty: 'cli_stdin_tty',
  /** `wecombot jobs`: no such job in the config, or a bad `--due` time. */
  cli_jobs: 'cli_jobs',
  /** `wecombot signup`: no such activity in the store, or a bad option. */
  cli_signup: 'cli_signup',
  /** `wecombot dev --script` cannot read the script. */
  dev_script_unreadable: 'dev_script_unreadable',
  /** `wecombot dev --port` is not a port number. */
  dev_bad_port: 'dev_bad_port',
} as const);

/** A registered error code: one of the values of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Whether `value` is a registered code (e.g. one read back from a database). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, value);
}
