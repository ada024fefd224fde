import { z } from 'zod';

const thresholds = z
  .object({
    rainChance: z.number().min(0).max(100).default(50),
    rainMm: z.number().min(0).default(5),
    heatC: z.number().default(35),
    coldC: z.number().default(0),
  })
  .partial();

const place = z.union([
  z.object({ city: z.string().min(1, 'city must not be empty') }),
  z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: z.string().optional() }),
]);

const weather = z.discriminatedUnion('provider', [
  z.object({
    provider: z.literal('open-meteo'),
    location: place,
    baseUrl: z.string().url().optional(),
    geocodingBaseUrl: z.string().url().optional(),
    title: z.string().optional(),
    thresholds: thresholds.optional(),
  }),
  z.object({
    provider: z.literal('qweather'),
    location: place,
    apiKey: z.string().min(1, 'QWeather needs apiKey (or QWEATHER_API_KEY)'),
    baseUrl: z.string().url().optional(),
    geoBaseUrl: z.string().url().optional(),
    title: z.string().optional(),
    thresholds: thresholds.optional(),
  }),
  z.object({ provider: z.literal('offline-sample'), location: place, title: z.string().optional(), thresholds: thresholds.optional() }),
]);

/** The `notifier` bot's configuration, validated once at start-up. */
export const notifierConfigSchema = z
  .object({
    /** Job name; becomes the SCF timer trigger name. */
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,59}$/, 'must start with a letter; letters, digits, _ and - only; at most 60 characters').default('notifier'),
    /** Cron expression: 5, 6 (seconds) or 7 (SCF: seconds … year) fields. */
    schedule: z.string().default('0 0 8 * * *'),
    timezone: z.string().default('Asia/Shanghai'),
    /** Robots to push to; defaults to WECOM_WEBHOOK_URL. */
    webhooks: z.array(z.string().url()).default([]),
    weather: weather.optional(),
    report: z
      .object({
        url: z.string().url(),
        template: z.string().min(1),
        headers: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    /** What goes out when the source still fails after the retries: a short notice, or nothing. */
    onFailure: z.enum(['notice', 'silent']).default('notice'),
    retry: z.object({ attempts: z.number().int().min(1).max(10).default(3), backoffMs: z.number().int().min(0).default(2000) }).default({ attempts: 3, backoffMs: 2000 }),
    timeoutMs: z.number().int().min(100).default(8000),
  })
  .refine((c) => c.weather || c.report, { message: 'give notifier.weather, notifier.report, or both' });

export type NotifierConfig = z.output<typeof notifierConfigSchema>;
export type NotifierConfigInput = z.input<typeof notifierConfigSchema>;
