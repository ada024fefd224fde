/** Types of the fake long-connection server (wecombot/testing). */

/** One frame a client sent, after validation. */
export interface RecordedFrame {
  /** Which socket sent it (1, 2, … in connection order). */
  conn: number;
  botId: string | undefined;
  cmd: string;
  reqId: string;
  body: Record<string, unknown>;
  /** The errcode the fake answered. */
  errcode: number;
  at: number;
}

/** A frame that broke the protocol, and what was wrong. */
export interface Violation {
  conn: number;
  cmd: string | undefined;
  reqId: string | undefined;
  problems: string[];
}

export type HeartbeatMode = 'normal' | 'slow' | 'missing';

export interface FakeLongConnectionOptions {
  /** Bot ids and their secrets. Default `{ 'bot-test': 'secret-test' }`. */
  bots?: Record<string, string>;
  /** A stream accepts updates this long after its first frame (846608 after). Default 6 min. */
  streamLifetimeMs?: number;
  /** A card click takes its update this long (846605 after). Default 5000 ms. */
  cardWindowMs?: number;
  /** enter_chat takes its welcome this long (846605 after). Default 5000 ms. */
  welcomeWindowMs?: number;
  /** A connection silent this long is closed (no ping). Default 90000 ms. */
  idleTimeoutMs?: number;
  /** Called with every outbound command (benchmarks time replies with it). */
  onFrame?: (frame: RecordedFrame) => void;
  /** Keep frames in `frames` (default true; a benchmark of 100,000 messages turns it off). */
  record?: boolean;
  /** Delay of heartbeat acks in `slow` mode. Default 2000 ms. */
  slowHeartbeatMs?: number;
}

/** What `deliver` and friends return. */
export interface Delivered {
  reqId: string;
  msgId: string;
}
