import type { FakeCorpState } from './state.js';
import type { FakeWelcome } from './types.js';
import type { WelcomeCodeRegistry } from './welcome-codes.js';

/** What an endpoint handler gets. It returns the fields of an errcode-0 answer, or throws a Refusal. */
export interface HandlerContext {
  query: Record<string, string>;
  /** The parsed JSON body (POST with JSON), else undefined. */
  json: unknown;
  raw: Buffer;
  contentType: string;
  state: FakeCorpState;
  codes: WelcomeCodeRegistry;
  welcomes: FakeWelcome[];
  now: () => number;
  /** Whether a media_id was uploaded and has not expired (3 days). */
  mediaKnown: (mediaId: string) => boolean;
}

export type Handler = (ctx: HandlerContext) => Record<string, unknown>;
