/**
 * GitHub-style heading anchors: lower-case, punctuation dropped, spaces to `-`, CJK kept;
 * a repeated slug gets `-1`, `-2`… in order, as GitHub and most static-site generators do.
 */

const DROP = /[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu;

/** The slug of one heading, without de-duplication. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(DROP, '').replace(/ /g, '-');
}

/** Creates a slugger that de-duplicates within one page. */
export function createSlugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const base = slug(heading);
    const count = seen.get(base);
    seen.set(base, (count ?? 0) + 1);
    return count === undefined ? base : `${base}-${count}`;
  };
}
