/** The ready-made bots: install them through `bots: [...]` in wecombot.config.ts. */
export { notifier, NotifierConfigError } from './notifier/module.js';
export { parseNotifierConfig, type NotifierConfig, type NotifierConfigInput, type WeatherConfig } from './notifier/config.js';
export type { DailyForecast, WeatherLocation, WeatherProvider } from './notifier/weather/forecast.js';
export { openMeteo, type OpenMeteoOptions } from './notifier/weather/open-meteo.js';
export { qweather, type QWeatherOptions } from './notifier/weather/qweather.js';
export { kbSearch } from './kb-search/module.js';
export { parseKbSearchConfig, type KbSearchConfig, type KbSearchConfigInput } from './kb-search/config.js';
export { answerQuery, type KbAnswer } from './kb-search/answer.js';
export { faq, type FaqSession, type FaqChatSession } from './faq/module.js';
export { parseFaqConfig, type FaqConfig, type FaqConfigInput, type RosterInput } from './faq/config.js';
export { FaqSourceError } from './faq/source-error.js';
export type { FaqEntry, QaSet } from './faq/entry.js';
export { signup } from './signup/module.js';
export { parseSignupConfig, type SignupConfig, type SignupConfigInput, type ActivityInput } from './signup/config.js';
export type { SignupFieldInput } from './signup/fields.js';
export { welcome } from './welcome/module.js';
export {
  parseWelcomeConfig,
  type WelcomeConfig,
  type WelcomeConfigInput,
  type TemplateRuleInput,
  type GroupRobotInput,
} from './welcome/config.js';
export type { CouponConfigInput } from './welcome/coupon-config.js';
export { welcomeDemoOptions } from './welcome/emulator.js';
export { CouponPoolError } from './welcome/errors.js';
export { leads } from './leads/module.js';
export {
  parseLeadsConfig,
  type LeadsConfig,
  type LeadsConfigInput,
  type SourceInput,
  type RepInput,
  type RuleInput,
} from './leads/config.js';
export { leadsDemoOptions } from './leads/emulator.js';
export { normalizePhone, maskedPhone, type Phone } from './leads/phone.js';
export { genericSignature, feiyuSignature } from './leads/intake/verify.js';
export { tags, tagBookFor } from './tags/module.js';
export { parseTagsConfig, type TagsConfig, type TagsConfigInput, type KeywordRuleInput, type BehaviourRuleInput } from './tags/config.js';
export { TagBook, type ChangeSource } from './tags/book.js';
export { campaigns } from './campaigns/module.js';
export {
  parseCampaignsConfig,
  type CampaignsConfig,
  type CampaignsConfigInput,
  type CampaignInput,
  type CampaignRuleInput,
} from './campaigns/config.js';
export { parseSegment, inSegment, SegmentError, type Segment } from './campaigns/segment.js';
export { campaignsDemoOptions } from './campaigns/emulator.js';
export type { DeliveryReport, PreviewLine } from './campaigns/runner.js';
