/**
 * The de-duplication key of a corp callback. Customer-contact events have no MsgId; WeCom's
 * own rule is FromUserName + CreateTime, but FromUserName is always `sys` ([OFFICIAL] 96466,
 * 96361), so the key takes everything that tells two events apart instead.
 */

/**
 * Joins the parts of an event's identity, each prefixed with its length, so that no id can
 * make two different events produce the same key (`a|b` + `c` never equals `a` + `b|c`).
 * Absent parts count as empty, keeping every part in its place.
 *
 * @example corpEventKey(['ww1', 'change_external_contact', 'add_external_contact', 'zhangsan', 'wmX', 1403610513])
 * // 'corp:3:ww123:change_external_contact20:add_external_contact8:zhangsan3:wmX10:1403610513'
 */
export function corpEventKey(parts: readonly (string | number | undefined)[]): string {
  let key = 'corp:';
  for (const part of parts) {
    const text = part === undefined ? '' : String(part);
    key += `${text.length}:${text}`;
  }
  return key;
}
