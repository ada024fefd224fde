/**
 * Webhook `template_card` structures (text_notice and news_notice), field for field as in the
 * documentation. Character counts in comments are WeCom's *recommended* display lengths; the
 * list lengths are hard limits.
 */

/** Link kinds: 1 URL, 2 mini-program. */
export type LinkType = 1 | 2;

/** `source`: the small line with an icon at the top. */
export interface CardSource {
  icon_url?: string;
  /** ≤ 13 chars recommended. */
  desc?: string;
  /** 0 grey (default), 1 black, 2 red, 3 green. */
  desc_color?: 0 | 1 | 2 | 3;
}

/** `main_title` */
export interface CardMainTitle {
  /** ≤ 26 chars recommended. */
  title?: string;
  /** ≤ 30 chars recommended. */
  desc?: string;
}

/** `emphasis_content` (text_notice only): a big number and its caption. */
export interface CardEmphasisContent {
  /** ≤ 10 chars recommended. */
  title?: string;
  /** ≤ 15 chars recommended. */
  desc?: string;
}

/** `quote_area`: 0/absent no click, 1 URL (`url` required), 2 mini-program (`appid` required). */
export interface CardQuoteArea {
  type?: 0 | LinkType;
  url?: string;
  appid?: string;
  pagepath?: string;
  title?: string;
  quote_text?: string;
}

/** `horizontal_content_list[]`: ≤ 6 rows. type 1 URL (`url`), 2 attachment (`media_id`), 3 member (`userid`). */
export interface CardHorizontalContent {
  /** ≤ 5 chars recommended. */
  keyname: string;
  /** ≤ 26 chars recommended; for type 2 the file name with extension. */
  value?: string;
  type?: 0 | 1 | 2 | 3;
  url?: string;
  media_id?: string;
  userid?: string;
}

/** `jump_list[]`: ≤ 3 rows. type 1 URL (`url`), 2 mini-program (`appid`); AI bots also 3 (`question`). */
export interface CardJump {
  /** ≤ 13 chars recommended. */
  title: string;
  type?: 0 | LinkType | 3;
  url?: string;
  appid?: string;
  pagepath?: string;
  /** AI bot only (type 3): the question to ask, ≤ 200 bytes. */
  question?: string;
}

/** `card_action` (required): what a click on the card does. 1 URL (`url`), 2 mini-program (`appid`). */
export interface CardAction {
  type: LinkType | 0;
  url?: string;
  appid?: string;
  pagepath?: string;
}

/** `card_image` (news_notice): `url` required; `aspect_ratio` in (1.3, 2.25), default 1.3. */
export interface CardImage {
  url: string;
  aspect_ratio?: number;
}

/** `image_text_area` (news_notice): picture left, text right; `image_url` required. */
export interface CardImageTextArea {
  type?: 0 | LinkType;
  url?: string;
  appid?: string;
  pagepath?: string;
  title?: string;
  desc?: string;
  image_url: string;
}

/** `vertical_content_list[]` (news_notice): ≤ 4 rows. */
export interface CardVerticalContent {
  /** ≤ 26 chars recommended. */
  title: string;
  /** ≤ 112 chars recommended. */
  desc?: string;
}

/** Fields both card types share. */
export interface CardCommon {
  source?: CardSource;
  main_title?: CardMainTitle;
  quote_area?: CardQuoteArea;
  horizontal_content_list?: CardHorizontalContent[];
  jump_list?: CardJump[];
  card_action: CardAction;
}

/** `text_notice`: needs `main_title.title` or `sub_title_text`; `card_action.type` 1 or 2. */
export interface TextNoticeCard extends CardCommon {
  card_type: 'text_notice';
  emphasis_content?: CardEmphasisContent;
  /** ≤ 112 chars recommended. */
  sub_title_text?: string;
}

/** `news_notice`: needs `card_image.url` on the webhook. */
export interface NewsNoticeCard extends CardCommon {
  card_type: 'news_notice';
  card_image?: CardImage;
  image_text_area?: CardImageTextArea;
  vertical_content_list?: CardVerticalContent[];
}

/** A webhook template card. */
export type TemplateCard = TextNoticeCard | NewsNoticeCard;
