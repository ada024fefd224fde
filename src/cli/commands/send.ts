import { basename } from 'node:path';
import type { Command } from 'commander';
import { WebhookApiError, WebhookClient, type SendReport, type TargetResult, type WebhookTarget } from '../../client/index.js';
import { fitImage, imagePayload, readImageSource } from '../../client/image.js';
import { checkMedia } from '../../client/media.js';
import { resolveTarget, apiBase, WebhookTargetError } from '../../client/target.js';
import { WecombotError } from '../../errors.js';
import type { NewsArticle, WebhookMessage } from '../../protocol/message/types.js';
import type { TemplateCard } from '../../protocol/message/template-card-types.js';
import { mentionTag } from '../../protocol/text/mentions.js';
import { readFileArg } from '../file-arg.js';
import { withEnv } from '../help-env.js';

interface SendFlags {
  webhook: string[];
  key: string[];
  text?: string;
  markdown?: string;
  markdownV2?: string;
  image?: string;
  file?: string;
  voice?: string;
  news?: string;
  card?: string;
  mention: string[];
  mentionMobile: string[];
  chatid?: string;
  dryRun?: boolean;
  json?: boolean;
  timeout: string;
}

const CONTENT = ['text', 'markdown', 'markdownV2', 'image', 'file', 'voice', 'news', 'card'] as const;
type ContentFlag = (typeof CONTENT)[number];
const FLAG_NAME: Record<ContentFlag, string> = {
  text: '--text',
  markdown: '--markdown',
  markdownV2: '--markdown-v2',
  image: '--image',
  file: '--file',
  voice: '--voice',
  news: '--news',
  card: '--card',
};

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `wecombot send`: push one message to one or more robots from a shell script or CI.
 * Exit status 0 only when every target accepted every part.
 */
export function registerSendCommand(program: Command): void {
  const command = program
    .command('send')
    .description('send a message to group robot webhooks (WECOM_WEBHOOK_URL / WECOM_WEBHOOK_KEY / WECOM_API_BASE); a value "-" reads stdin')
    .option('--webhook <url>', 'robot webhook URL (repeat for several robots)', collect, [])
    .option('--key <key>', 'robot webhook key, joined to WECOM_API_BASE (repeatable)', collect, [])
    .option('--text <text>', 'a text message (long text is split and sent in order)')
    .option('--markdown <markdown>', 'a markdown message (<@userid> mentions work here)')
    .option('--markdown-v2 <markdown>', 'a markdown_v2 message (tables, code blocks; no mentions)')
    .option('--image <file>', 'an image file (JPG/PNG ≤ 2 MB; others re-encoded when sharp is installed)')
    .option('--file <file>', 'a file to upload and send (≤ 20 MB)')
    .option('--voice <file>', 'an AMR voice file to upload and send (≤ 2 MB)')
    .option('--news <json>', 'news articles: a JSON array of {title,url,description?,picurl?}')
    .option('--card <json>', 'a template_card JSON object (text_notice or news_notice)')
    .option('--mention <userid>', 'mention a member by userid, or @all (repeatable)', collect, [])
    .option('--mention-mobile <phone>', 'mention a member by mobile number, or @all (repeatable; text only)', collect, [])
    .option('--chatid <id>', 'send into these chats (|-joined chat ids; beta feature)')
    .option('--dry-run', 'print the request body instead of sending')
    .option('--json', 'print per-target results as JSON')
    .option('--timeout <ms>', 'timeout of one HTTP request in ms', '10000')
    .action(async (flags: SendFlags) => {
      process.exitCode = await runSend(flags);
    });
  withEnv(command, [
    { name: 'WECOM_WEBHOOK_URL', description: 'the robot webhook when neither --webhook nor --key is given' },
    { name: 'WECOM_WEBHOOK_KEY', description: 'the robot webhook key when neither --webhook nor --key is given' },
    { name: 'WECOM_API_BASE', description: 'WeCom API origin for --key (default https://qyapi.weixin.qq.com; a fake or a proxy)' },
  ]);
}

async function runSend(flags: SendFlags): Promise<number> {
  const given = CONTENT.filter((k) => flags[k] !== undefined);
  if (given.length !== 1) {
    throw usage(
      given.length === 0 ? 'nothing to send' : `give one message, not ${given.map((k) => FLAG_NAME[k]).join(' and ')}`,
      'use exactly one of --text, --markdown, --markdown-v2, --image, --file, --voice, --news, --card',
    );
  }
  const kind = given[0] as ContentFlag;
  const raw = flags[kind] as string;
  const targets = collectTargets(flags);
  if (targets.length === 0 && !flags.dryRun) {
    throw usage('no webhook given', 'pass --webhook URL or --key KEY, or set WECOM_WEBHOOK_URL / WECOM_WEBHOOK_KEY');
  }
  const client = new WebhookClient({ timeoutMs: positiveInt(flags.timeout, '--timeout') });
  try {
    const base = apiBase();
    const resolved = targets.map((t) => resolveUsage(t, base, flags));
    if (kind === 'file' || kind === 'voice') {
      const input =
        raw === '-'
          ? { data: await readStdinBytes(), filename: kind === 'voice' ? 'voice.amr' : 'stdin.bin' }
          : { data: await readPath(raw), filename: basename(raw) };
      checkMedia(kind, input);
      refuseMentions(kind, flags);
      if (flags.dryRun) {
        const placeholder = `<media_id of ${input.filename} (${input.data.length} bytes), uploaded per robot when sending>`;
        return printDryRun(
          flags,
          resolved.map((r) => r.label),
          [{ msgtype: kind, [kind]: { media_id: placeholder } } as unknown as WebhookMessage],
        );
      }
      const report = await (kind === 'file'
        ? client.file(targets, input.data, { filename: input.filename, chatid: flags.chatid })
        : client.voice(targets, input.data, { filename: input.filename, chatid: flags.chatid }));
      return finish(flags, report);
    }
    const message = await buildMessage(kind, raw, flags);
    if (flags.dryRun)
      return printDryRun(
        flags,
        resolved.map((r) => r.label),
        client.prepare([message]),
      );
    return finish(flags, await client.send(targets, message, { chatid: flags.chatid }));
  } finally {
    await client.close();
  }
}

/**
 * A target from the command line or the environment: one that is not a webhook (not a URL, no
 * key) is a usage error (exit 2) naming where it came from, not a failed send.
 */
function resolveUsage(target: WebhookTarget, base: string, flags: SendFlags): ReturnType<typeof resolveTarget> {
  try {
    return resolveTarget(target, base);
  } catch (err) {
    if (!(err instanceof WebhookTargetError)) throw err;
    const given = typeof target === 'object' && target.webhook !== undefined;
    const from =
      flags.webhook.length + flags.key.length > 0 ? (given ? '--webhook' : '--key') : given ? 'WECOM_WEBHOOK_URL' : 'WECOM_WEBHOOK_KEY';
    throw usage(`${from}: ${err.message}`, err.hint ?? 'pass the robot webhook URL or its key');
  }
}

function collectTargets(flags: SendFlags): WebhookTarget[] {
  const list: WebhookTarget[] = [...flags.webhook.map((webhook) => ({ webhook })), ...flags.key.map((key) => ({ key }))];
  if (list.length > 0) return list;
  if (process.env.WECOM_WEBHOOK_URL) return [{ webhook: process.env.WECOM_WEBHOOK_URL }];
  if (process.env.WECOM_WEBHOOK_KEY) return [{ key: process.env.WECOM_WEBHOOK_KEY }];
  return [];
}

async function buildMessage(kind: Exclude<ContentFlag, 'file' | 'voice'>, raw: string, flags: SendFlags): Promise<WebhookMessage> {
  switch (kind) {
    case 'text': {
      const text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } = { content: await textValue(raw) };
      if (flags.mention.length) text.mentioned_list = flags.mention;
      if (flags.mentionMobile.length) text.mentioned_mobile_list = flags.mentionMobile;
      return { msgtype: 'text', text };
    }
    case 'markdown': {
      if (flags.mentionMobile.length)
        throw usage('markdown cannot mention by mobile number', 'use --mention USERID, or --text with --mention-mobile');
      if (flags.mention.includes('@all')) throw usage('markdown cannot mention @all', 'use --text --mention @all');
      const content = await textValue(raw);
      const tags = flags.mention.map(mentionTag).join(' ');
      return { msgtype: 'markdown', markdown: { content: tags ? `${content}\n${tags}` : content } };
    }
    case 'markdownV2':
      refuseMentions('markdown_v2', flags);
      return { msgtype: 'markdown_v2', markdown_v2: { content: await textValue(raw) } };
    case 'image': {
      refuseMentions('image', flags);
      const bytes =
        raw === '-'
          ? await readStdinBytes()
          : await readImageSource(raw, () => Promise.reject(usage('--image takes a file', 'download the image first')));
      return { msgtype: 'image', image: imagePayload(await fitImage(bytes)) };
    }
    case 'news': {
      refuseMentions('news', flags);
      const v = parseJson(await textValue(raw), '--news') as
        NewsArticle[] | { articles?: NewsArticle[]; news?: { articles: NewsArticle[] } };
      const articles = Array.isArray(v) ? v : (v.news?.articles ?? v.articles ?? [v as unknown as NewsArticle]);
      return { msgtype: 'news', news: { articles } };
    }
    case 'card': {
      refuseMentions('template_card', flags);
      const v = parseJson(await textValue(raw), '--card') as TemplateCard | { template_card: TemplateCard };
      return { msgtype: 'template_card', template_card: 'template_card' in v ? v.template_card : v };
    }
  }
}

function refuseMentions(type: string, flags: SendFlags): void {
  if (flags.mention.length || flags.mentionMobile.length) {
    throw usage(`${type} messages cannot mention anyone`, 'mentions work with --text (userids, mobiles, @all) and --markdown (userids)');
  }
}

function finish(flags: SendFlags, report: SendReport): number {
  if (flags.json) process.stdout.write(`${JSON.stringify(toJson(report), null, 2)}\n`);
  for (const r of report.results) {
    if (!r.ok) process.stderr.write(`wecombot: ${failureLine(r)}\n`);
  }
  if (!flags.json && report.ok) {
    const parts = report.results.reduce((a, r) => a + r.delivered, 0);
    process.stderr.write(`sent ${parts} message(s) to ${report.results.length} target(s)\n`);
  }
  return report.ok ? 0 : 1;
}

/** `<target>: errcode 93000: <message> (<hint>)` — one line per failed target. */
function failureLine(r: TargetResult): string {
  const what = r.errcode !== undefined ? `errcode ${r.errcode}` : (r.error?.code ?? r.status);
  // WeCom's errmsg reason without its trace id and link; the hint says what to do.
  const reason = r.error instanceof WebhookApiError ? r.error.errmsg.split(', hint:')[0] : r.error?.message;
  const detail = `${reason ?? r.status}${r.error?.hint ? ` (${r.error.hint})` : ''}`.replace(/\s*\n\s*/g, ' ');
  return `${r.target}${r.chatid ? ` (chatid ${r.chatid})` : ''}: ${what}: ${detail}`;
}

function toJson(report: SendReport) {
  return {
    ok: report.ok,
    results: report.results.map((r) => ({
      target: r.target,
      robotId: r.robotId,
      ...(r.chatid && { chatid: r.chatid }),
      ok: r.ok,
      status: r.status,
      parts: r.parts,
      delivered: r.delivered,
      attempts: r.attempts,
      ...(r.errcode !== undefined && { errcode: r.errcode }),
      ...(r.error && { error: { code: r.error.code, message: r.error.message, hint: r.error.hint } }),
    })),
  };
}

function printDryRun(flags: SendFlags, targets: string[], bodies: WebhookMessage[]): number {
  const withChat = bodies.map((b) => (flags.chatid ? { ...b, chatid: flags.chatid } : b));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ dryRun: true, targets, bodies: withChat }, null, 2)}\n`);
  } else {
    for (const b of withChat) process.stdout.write(`${JSON.stringify(b)}\n`);
    process.stderr.write(
      `dry run: ${withChat.length} request(s) to each of ${targets.length} target(s)${targets.length ? `: ${targets.join(', ')}` : ''}\n`,
    );
  }
  return 0;
}

async function textValue(raw: string): Promise<string> {
  if (raw !== '-') return raw;
  return (await readStdinBytes()).toString('utf8').replace(/\n+$/, '');
}

/** stdin, once per command line (file-arg.ts); `-` at a terminal is a usage error. */
async function readStdinBytes(): Promise<Buffer> {
  return readFileArg('-', 'a value');
}

async function readPath(path: string): Promise<Buffer> {
  return readFileArg(path, 'send');
}

function parseJson(text: string, flag: string): Record<string, unknown> | unknown[] {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw usage(`${flag} is not a JSON object or array`, `quote the JSON in single quotes, or pass ${flag} - and pipe it in`);
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw usage(`${flag} must be a positive integer`, `e.g. ${flag} 10000`);
  return n;
}

function usage(message: string, hint: string): WecombotError {
  return new WecombotError('cli_usage', message, { hint });
}
