/**
 * The seam FaaS adapters use to move a callback's handling into an asynchronous invocation of
 * the same function (runtime/faas.ts): an event function answers WeCom only when it returns,
 * and is frozen right after, so a handler that outlives the ack budget can neither run on in
 * the background nor hold the answer (WeCom would retry).
 *
 * - `hand-off` (the HTTP invocation): once a routed robot callback is verified and decrypted,
 *   and before it is claimed, `handOff` queues the request for the next invocation; the
 *   callback is then answered with the empty acknowledgement at once. The handler does not run
 *   here, so its side effects happen once, in the invocation that claims it.
 * - `resumed` (the asynchronous invocation): the same request goes through the ordinary path,
 *   claim included; with nobody waiting for its HTTP answer, every reply goes out late
 *   (webhook, response_url).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RobotMessage } from './dispatch.js';

export type HandoffMode =
  | {
      mode: 'hand-off';
      /** Queues the request; false when it could not (the callback is then handled here). */
      handOff(): Promise<boolean>;
    }
  | { mode: 'resumed' };

const scope = new AsyncLocalStorage<HandoffMode>();

/** Runs `fn` with `mode` for every callback it handles. */
export function withHandoff<T>(mode: HandoffMode, fn: () => Promise<T>): Promise<T> {
  return scope.run(mode, fn);
}

/** True inside a `resumed` invocation: no passive answer can reach WeCom. */
export function isResumed(): boolean {
  return scope.getStore()?.mode === 'resumed';
}

/**
 * Whether `message` was handed off (the caller then answers with its empty acknowledgement).
 * Kept here: AI bot card clicks and enter_chat wait for a passive answer (a card update, the
 * welcome text) that no later channel can carry, so they stay in the HTTP invocation.
 * Synchronously `false` outside a FaaS hand-off (a server): every callback asks, and an await
 * of nothing would cost it a turn of the microtask queue.
 */
export function handedOff(message: RobotMessage): false | Promise<boolean> {
  const mode = scope.getStore();
  if (mode?.mode !== 'hand-off') return false;
  if (message.robot === 'aibot' && message.type === 'event') return false;
  return mode.handOff();
}
