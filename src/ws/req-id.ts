/**
 * Request ids. Replies reuse the inbound frame's `req_id`; frames the bot starts itself
 * (subscribe, ping, aibot_send_msg, uploads) get a fresh one. The prefix is the command, as
 * the official SDK does, so a packet capture reads naturally.
 */
import { randomBytes } from 'node:crypto';

let counter = 0;

/** A fresh req_id for a self-initiated command, e.g. `ping_1718000000000_1a2b3c4d_7`. */
export function newReqId(cmd: string): string {
  counter = (counter + 1) % 1_000_000_000;
  return `${cmd}_${Date.now()}_${randomBytes(4).toString('hex')}_${counter}`;
}
