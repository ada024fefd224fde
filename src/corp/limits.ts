/**
 * Documented limits of the corp API, checked before a request is spent on them. Byte limits
 * are UTF-8 bytes. Each carries its source (the tags of wecom-corp-api.md); where sources
 * disagree or a number is unconfirmed, the comment says which reading is built.
 */
export const CORP_LIMITS = {
  /** A WelcomeCode works once, within 20 s of the callback. [OFFICIAL 92599] */
  welcomeCodeLifetimeMs: 20_000,
  /** send_welcome_msg text.content. [OFFICIAL 92599] */
  welcomeTextBytes: 4000,
  /** Attachments of a welcome or a mass message. [OFFICIAL 92599, 92135] */
  attachmentsMax: 9,
  /** link.title (required). [OFFICIAL 92599] */
  linkTitleBytes: 128,
  /** link.desc. [OFFICIAL 92599] */
  linkDescBytes: 512,
  /** miniprogram.title (required). [OFFICIAL 92599] */
  miniprogramTitleBytes: 64,
  /** group_welcome_template text.content (send_welcome_msg allows 4000). [OFFICIAL 96357] */
  groupWelcomeTextBytes: 3000,
  /** Group-welcome templates per corp (41055 beyond). [OFFICIAL 96357] */
  groupWelcomeTemplatesMax: 100,
  /** add_msg_template text.content. [SDK WxJava WxCpMsgTemplate, copied from OFFICIAL 92135] */
  massTextBytes: 4000,
  /** add_msg_template external_userid (chat_type single). [same] */
  massExternalUsersMax: 10_000,
  /** add_msg_template chat_id_list (chat_type group). [same] */
  massChatIdsMax: 2000,
  /** Tag and tag-group names, in characters. [SDK wechatpy docstrings; go-laoji corp_tag.go max=30] */
  tagNameChars: 30,
  /** `order` of tags and groups: [0, 2^32). [SDK wechatpy docstrings] */
  tagOrderMax: 2 ** 32 - 1,
  /** Corp tags per corp, rule-group tags included (40126 beyond). [OFFICIAL text quoted in hexdocs wechat_sdk] */
  corpTagsMax: 3000,
  /** batch/get_by_user userid_list. [OFFICIAL 23414] */
  batchUserIdsMax: 100,
  /** batch/get_by_user limit (default 50). [OFFICIAL 23414] */
  batchLimitMax: 100,
  /** groupchat/list owner_filter.userid_list. [OFFICIAL 93414] */
  groupChatOwnersMax: 100,
  /** groupchat/list limit, 1 to 1000. [OFFICIAL 93414] */
  groupChatListLimitMax: 1000,
  /** An access_token is at most 512 bytes. [OFFICIAL 91039] */
  accessTokenBytesMax: 512,
  /**
   * Temporary media (media/upload), by type. Every file must be over 5 bytes. Image 10 MB as in
   * the official table relayed by a third-party summary of 90253; one article says 2 MB
   * [UNCONFIRMED]: 10 MB is checked here and a bigger image fails on WeCom's side with its own
   * errcode. Voice AMR ≤ 2 MB, video MP4 ≤ 10 MB, file ≤ 20 MB.
   */
  mediaMinBytes: 6,
  mediaBytes: { image: 10 * 1024 * 1024, voice: 2 * 1024 * 1024, video: 10 * 1024 * 1024, file: 20 * 1024 * 1024 },
  /** media/uploadimg (a permanent image URL for pic_url): JPG/PNG, ≤ 2 MB. [third-party summary of OFFICIAL 90256] */
  uploadImageBytes: 2 * 1024 * 1024,
} as const;
