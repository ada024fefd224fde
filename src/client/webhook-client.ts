import type { Dispatcher } from 'undici';
import { WecombotError } from '../errors.js';
import { LIMITS } from '../protocol/limits.js';
import type { NewsArticle, WebhookMessage } from '../protocol/message/types.js';
import type { TemplateCard } from '../protocol/message/template-card-types.js';
import type { Store } from '../store/store.js';
import { fetchChatInfo, type ChatInfo } from './chat-info.js';
import { DeliveryEngine } from './engine.js';
import { createDispatcher, httpGetBytes } from './http.js';
import { fitImage, imagePayload, readImageSource, type ImageSource } from './image.js';
import type { WebhookLogger } from './logger.js';
import { checkMedia, MediaCache, multipartBody, readMediaSource, type MediaSource, type MediaType, type UploadedMedia } from './media.js';
import { Outbox } from './outbox/outbox.js';
import { splitOutgoing, validateOutgoing, WebhookApiError } from './protocol-adapter.js';
import { mentionTag } from '../protocol/text/mentions.js';
import { memorySlotSource, RateLimiter } from './rate-limiter.js';
import { resolveRetry } from './retry.js';
import { apiBase, resolveTarget, type ResolvedTarget, type WebhookTarget } from './target.js';
import type { SendOptions, SendReport, TargetResult, WebhookClientOptions } from './types.js';

/** One target or several (fan-out). */
export type Targets = WebhookTarget | readonly WebhookTarget[];

/** Mentions of a text message (`@all` allowed in both lists). */
export interface TextOptions extends SendOptions {
  mentions?: string[];
  mentionMobiles?: string[];
}

/** Options of file/voice sends. */
export interface MediaSendOptions extends SendOptions {
  /** Displayed file name when the source is a Buffer (default: the path's base name). */
  filename?: string;
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The webhook client: every message type, per-robot rate limiting (shared through the store),
 * retries with back-off, splitting of long text, media upload with a media_id cache, fan-out,
 * and a durable outbox when a store is given.
 *
 * @example
 * const client = new WebhookClient({ store });            // store optional
 * const report = await client.text(process.env.WECOM_WEBHOOK_URL!, 'deploy done', { mentions: ['@all'] });
 * if (!report.ok) console.error(report.results[0]?.error?.describe());
 * // answer into the chat a callback came from:
 * await client.markdown({ webhook: callback.webhookUrl, chatid: callback.chatId }, '**got it**');
 */
export class WebhookClient {
  /** The durable outbox, when a store is configured (and `outbox` is not false). */
  readonly outbox: Outbox | undefined;
  readonly baseUrl: string;
  private readonly engine: DeliveryEngine;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly store: Store | undefined;
  private readonly media: MediaCache;
  private readonly timeoutMs: number;
  private readonly logger: WebhookLogger | undefined;
  private readonly now: () => number;
  private readonly imageLibrary: WebhookClientOptions['imageLibrary'];

  constructor(options: WebhookClientOptions = {}) {
    this.baseUrl = apiBase(options.baseUrl);
    this.store = options.store;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.imageLibrary = options.imageLibrary;
    const sleep = options.sleep ?? sleepReal;
    const { dispatcher, owned } = createDispatcher(options);
    this.dispatcher = dispatcher;
    this.ownsDispatcher = owned;
    const limiter =
      options.rateLimit === false
        ? undefined
        : new RateLimiter(options.store ?? memorySlotSource(this.now), options.rateLimit ?? {}, sleep, this.now);
    this.engine = new DeliveryEngine({
      dispatcher,
      limiter,
      retry: resolveRetry(options.retry),
      timeoutMs: this.timeoutMs,
      windowWaitMs: limiter ? limiter.windowMs + limiter.marginMs : LIMITS.windowMs,
      sleep,
      random: options.random ?? Math.random,
      logger: options.logger,
    });
    this.media = new MediaCache(options.store, this.now);
    this.outbox =
      options.store && options.outbox !== false
        ? new Outbox(
            { store: options.store, engine: this.engine, now: this.now, sleep, logger: options.logger },
            typeof options.outbox === 'object' ? options.outbox : {},
          )
        : undefined;
    // "The next start resumes": create the table and deliver what a crashed process left.
    this.outbox?.init().catch((err: unknown) => {
      this.logger?.error?.({ err: String((err as Error)?.message ?? err) }, 'outbox initialisation failed');
    });
  }

  /**
   * Sends one message, or several in order, to one or more targets. Long text/markdown is split
   * into parts sent in order. Resolves to a per-target report; delivery failures do not throw
   * (see `sendOrThrow`), invalid messages and unusable targets do, before anything is sent.
   */
  async send(to: Targets, message: WebhookMessage | readonly WebhookMessage[], options: SendOptions = {}): Promise<SendReport> {
    const messages = Array.isArray(message) ? (message as readonly WebhookMessage[]) : [message as WebhookMessage];
    const parts = this.prepare(messages, options);
    return this.dispatch(this.resolve(to, options), async () => parts, options);
  }

  /** Like `send`, but throws the first target's error when any target failed. */
  async sendOrThrow(to: Targets, message: WebhookMessage | readonly WebhookMessage[], options: SendOptions = {}): Promise<SendReport> {
    const report = await this.send(to, message, options);
    const failed = report.results.find((r) => !r.ok);
    if (failed?.error) throw failed.error;
    return report;
  }

  /** A text message (≤ 2048 bytes per part), optionally mentioning userids or mobiles. */
  text(to: Targets, content: string, options: TextOptions = {}): Promise<SendReport> {
    const text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } = { content };
    if (options.mentions?.length) text.mentioned_list = options.mentions;
    if (options.mentionMobiles?.length) text.mentioned_mobile_list = options.mentionMobiles;
    return this.send(to, { msgtype: 'text', text }, options);
  }

  /**
   * A markdown message (≤ 4096 bytes per part); mention with `<@userid>` inside the content, or
   * pass `mentions` (userids) to have the tags appended at the end.
   */
  markdown(to: Targets, content: string, options: SendOptions & { mentions?: string[] } = {}): Promise<SendReport> {
    const tags = (options.mentions ?? []).map(mentionTag).join(' ');
    const full = tags ? `${content}${content.endsWith('\n') ? '' : '\n'}${tags}` : content;
    return this.send(to, { msgtype: 'markdown', markdown: { content: full } }, options);
  }

  /** A markdown_v2 message (tables, code blocks; no mentions, no colours). */
  markdownV2(to: Targets, content: string, options: SendOptions = {}): Promise<SendReport> {
    return this.send(to, { msgtype: 'markdown_v2', markdown_v2: { content } }, options);
  }

  /** A news message with 1 to 8 articles. */
  news(to: Targets, articles: NewsArticle[], options: SendOptions = {}): Promise<SendReport> {
    return this.send(to, { msgtype: 'news', news: { articles } }, options);
  }

  /** A template card (text_notice or news_notice). */
  templateCard(to: Targets, card: TemplateCard, options: SendOptions = {}): Promise<SendReport> {
    return this.send(to, { msgtype: 'template_card', template_card: card }, options);
  }

  /**
   * An image from a path, an http(s) URL or bytes. JPG/PNG up to 2 MB go as they are; anything
   * else is re-encoded/scaled with sharp when installed (else a WebhookMediaError says so).
   */
  async image(to: Targets, source: ImageSource, options: SendOptions = {}): Promise<SendReport> {
    const raw = await readImageSource(source, (url) => httpGetBytes(this.dispatcher, url, 4 * LIMITS.fileBytes, this.timeoutMs));
    const bytes = await fitImage(raw, this.imageLibrary ? { sharp: this.imageLibrary } : {});
    return this.send(to, { msgtype: 'image', image: imagePayload(bytes) }, options);
  }

  /** A file (≤ 20 MB): uploaded once per robot (media_id cached for its 3-day life), then sent. */
  file(to: Targets, source: MediaSource, options: MediaSendOptions = {}): Promise<SendReport> {
    return this.sendMedia('file', to, source, options);
  }

  /** A voice message (AMR, ≤ 2 MB, ≤ 60 s), uploaded per robot like `file`. */
  voice(to: Targets, source: MediaSource, options: MediaSendOptions = {}): Promise<SendReport> {
    return this.sendMedia('voice', to, source, options);
  }

  /**
   * Uploads a file or voice for one robot; a media_id cached for the same content, file name
   * and robot is reused until an hour before its 3-day expiry. Throws on failure.
   */
  async uploadMedia(to: WebhookTarget, source: MediaSource, options: { type: MediaType; filename?: string }): Promise<UploadedMedia> {
    const input = await readMediaSource(source, options.filename);
    checkMedia(options.type, input);
    return this.upload(resolveTarget(to, this.baseUrl), options.type, input);
  }

  /**
   * Who is in the chat a callback came from: calls its GetChatInfoUrl (single use, 5 minutes).
   * Throws WebhookApiError (e.g. errcode 40029 for a used code) or a network error.
   */
  getChatInfo(getChatInfoUrl: string): Promise<ChatInfo> {
    return fetchChatInfo(this.dispatcher, getChatInfoUrl, this.timeoutMs);
  }

  /** Closes connections and stops the outbox worker. */
  async close(): Promise<void> {
    await this.outbox?.stop();
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // --- internals ------------------------------------------------------------------------

  private async sendMedia(type: MediaType, to: Targets, source: MediaSource, options: MediaSendOptions): Promise<SendReport> {
    const input = await readMediaSource(source, options.filename);
    checkMedia(type, input);
    return this.dispatch(
      this.resolve(to, options),
      async (target) => {
        const media = await this.upload(target, type, input);
        const body = (
          type === 'file'
            ? { msgtype: 'file', file: { media_id: media.mediaId } }
            : { msgtype: 'voice', voice: { media_id: media.mediaId } }
        ) as WebhookMessage;
        return [body];
      },
      options,
    );
  }

  private async upload(target: ResolvedTarget, type: MediaType, input: { data: Buffer; filename: string }): Promise<UploadedMedia> {
    const key = MediaCache.keyOf(target.robotId, type, input);
    const cached = await this.media.get(key);
    if (cached) return cached;
    const { body, contentType } = multipartBody(input);
    const url = new URL(target.uploadUrl);
    url.searchParams.set('type', type);
    const outcome = await this.engine.call(target, { url: url.toString(), body, contentType, limited: false });
    if (!outcome.ok) throw outcome.error;
    const mediaId = outcome.json.media_id;
    if (typeof mediaId !== 'string' || mediaId === '') {
      throw new WecombotError('webhook_upload', `${target.label} upload_media answered without media_id`, {
        hint: 'check WECOM_API_BASE: this does not look like the WeCom API',
      });
    }
    const createdAt = Number(outcome.json.created_at) * 1000 || this.now();
    const media: UploadedMedia = { mediaId, type, createdAt, expiresAt: createdAt + LIMITS.mediaIdLifetimeMs, cached: false };
    await this.media.set(key, media);
    this.logger?.debug?.({ target: target.label, type, bytes: input.data.length }, 'media uploaded');
    return media;
  }

  private resolve(to: Targets, options: SendOptions): ResolvedTarget[] {
    const list = Array.isArray(to) ? (to as readonly WebhookTarget[]) : [to as WebhookTarget];
    if (list.length === 0) throw new WecombotError('webhook_target', 'no target given', { hint: 'pass at least one webhook URL or key' });
    return list.map((t) => {
      const r = resolveTarget(t, this.baseUrl);
      return r.chatid === undefined && options.chatid ? { ...r, chatid: options.chatid } : r;
    });
  }

  /**
   * The bodies `send` would post for these messages (split and validated, chatid not applied):
   * for previews and dry runs. Throws MessageValidationError like `send`.
   */
  prepare(messages: readonly WebhookMessage[], options: Pick<SendOptions, 'split'> = {}): WebhookMessage[] {
    const out: WebhookMessage[] = [];
    for (const m of messages) {
      const parts = options.split === false ? [m] : splitOutgoing(m);
      for (const p of parts) validateOutgoing(p);
      out.push(...parts);
    }
    return out;
  }

  /** Builds each target's bodies, then delivers directly or through the outbox. */
  private async dispatch(
    targets: ResolvedTarget[],
    build: (t: ResolvedTarget) => Promise<WebhookMessage[]>,
    options: SendOptions,
  ): Promise<SendReport> {
    const prepared = await Promise.all(
      targets.map(async (target) => {
        try {
          const bodies = (await build(target)).map((b) => (target.chatid ? { ...b, chatid: target.chatid } : b));
          return { target, bodies };
        } catch (err) {
          if (!(err instanceof WecombotError)) throw err;
          return { target, bodies: [] as WebhookMessage[], error: err };
        }
      }),
    );
    const results = this.outbox
      ? await this.viaOutbox(this.outbox, prepared, options)
      : await Promise.all(prepared.map((p) => (p.error ? Promise.resolve(failed(p.target, 0, p.error)) : this.direct(p.target, p.bodies))));
    return { ok: results.every((r) => r.ok), results };
  }

  private direct(target: ResolvedTarget, bodies: WebhookMessage[]): Promise<TargetResult> {
    return this.engine.inLane(target.robotId, async () => {
      let attempts = 0;
      let delivered = 0;
      for (const body of bodies) {
        const outcome = await this.engine.call(target, {
          url: target.sendUrl,
          body: JSON.stringify(body),
          contentType: 'application/json',
          limited: true,
        });
        attempts += outcome.attempts;
        if (!outcome.ok) {
          // Later parts are not sent: a report missing its middle is worse than a clear failure.
          return { ...failed(target, bodies.length, outcome.error, outcome.errcode), delivered, attempts };
        }
        delivered += 1;
      }
      this.logger?.debug?.({ target: target.label, parts: bodies.length, attempts }, 'webhook message delivered');
      return base(target, { ok: true, status: 'delivered', parts: bodies.length, delivered, attempts });
    });
  }

  private async viaOutbox(
    outbox: Outbox,
    prepared: { target: ResolvedTarget; bodies: WebhookMessage[]; error?: WecombotError }[],
    options: SendOptions,
  ): Promise<TargetResult[]> {
    const sendable = prepared.filter((p) => !p.error);
    const ids = await outbox.enqueue(sendable);
    const idsOf = new Map(sendable.map((p, i) => [p, ids[i] ?? []]));
    if (options.wait !== false) await outbox.drain({ robotIds: sendable.map((p) => p.target.robotId) });
    const entries = new Map((await outbox.entries(ids.flat())).map((e) => [e.id, e]));
    return prepared.map((p) => {
      if (p.error) return failed(p.target, 0, p.error);
      const rowIds = idsOf.get(p) ?? [];
      const rows = rowIds.map((id) => entries.get(id));
      const delivered = rows.filter((r) => r?.status === 'delivered').length;
      const attempts = rows.reduce((a, r) => a + (r?.attempts ?? 0), 0);
      const bad = rows.find((r) => r && r.status !== 'delivered');
      for (const id of rowIds) if (id !== bad?.id) outbox.takeError(id);
      if (!bad) return base(p.target, { ok: true, status: 'delivered', parts: rowIds.length, delivered, attempts, outboxIds: rowIds });
      const status = bad.status === 'failed' ? 'failed' : 'queued';
      // Another process may have failed the row: its typed error is gone, its code and message are stored.
      const error = outbox.takeError(bad.id) ?? (bad.lastError ? new WecombotError(bad.lastError.code, bad.lastError.message) : undefined);
      const r = base(p.target, { ok: false, status, parts: rowIds.length, delivered, attempts, outboxIds: rowIds });
      if (error) r.error = error;
      if (bad.errcode !== null) r.errcode = bad.errcode;
      return r;
    });
  }
}

function base(target: ResolvedTarget, rest: Omit<TargetResult, 'target' | 'robotId' | 'chatid'>): TargetResult {
  const r: TargetResult = { target: target.label, robotId: target.robotId, ...rest };
  if (target.chatid) r.chatid = target.chatid;
  return r;
}

function failed(target: ResolvedTarget, parts: number, error: WecombotError, errcode?: number): TargetResult {
  const r = base(target, { ok: false, status: 'failed', parts, delivered: 0, attempts: 0, error });
  const code = errcode ?? (error instanceof WebhookApiError ? error.errcode : undefined);
  if (code !== undefined) r.errcode = code;
  return r;
}
