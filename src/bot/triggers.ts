/**
 * Text triggers for `hears` and `command`. They read `ctx.text`, which already lacks the
 * leading @bot mention, and leave what matched in `ctx.match`.
 */

/** What `hears` accepts: exact strings and/or regular expressions. */
export type HearsTrigger = string | RegExp | readonly (string | RegExp)[];

/** The minimum a context offers to text triggers. */
interface TextTarget {
  readonly text: string;
  match: unknown;
}

/** Context inside `hears`: `match` is the RegExp match (a string trigger gives `[text]`). */
export type HearsContext<C> = C & { match: RegExpMatchArray };
/** Context inside `command`: `match` is the text after the command word, trimmed. */
export type CommandContext<C> = C & { match: string };

function target(ctx: unknown): TextTarget {
  return ctx as TextTarget;
}

/** True when the text equals a string trigger (trimmed) or matches a RegExp; sets `ctx.match`. */
export function matchHears(ctx: unknown, trigger: HearsTrigger): boolean {
  const t = target(ctx);
  const text = t.text.trim();
  const triggers = Array.isArray(trigger) ? trigger : [trigger as string | RegExp];
  for (const one of triggers) {
    if (typeof one === 'string') {
      if (text === one) {
        const m = [text] as unknown as RegExpMatchArray;
        m.index = 0;
        m.input = text;
        t.match = m;
        return true;
      }
      continue;
    }
    // A global or sticky RegExp keeps lastIndex between calls; reset so every message is fresh.
    one.lastIndex = 0;
    const m = one.exec(text);
    if (m) {
      t.match = m;
      return true;
    }
  }
  return false;
}

/**
 * True when the first word of the text is one of `names`, optionally prefixed with `/` or the
 * full-width `／`. `报名 张三` and `/报名 张三` both match `command('报名')` with match `张三`.
 */
export function matchCommand(ctx: unknown, names: readonly string[]): boolean {
  const t = target(ctx);
  const text = t.text.trim();
  const m = /^[/／]?(\S+)(?:\s+([\s\S]*))?$/u.exec(text);
  if (!m) return false;
  const word = m[1] as string;
  for (const name of names) {
    const bare = name.replace(/^[/／]/u, '');
    if (word === bare) {
      t.match = (m[2] ?? '').trim();
      return true;
    }
  }
  return false;
}
