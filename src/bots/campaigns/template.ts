/**
 * Offer templates: `{name}，VIP 专享 8 折：{link}`. Built-in placeholders are `{name}` (the
 * display name the bot knows, else the userid), `{userid}` and `{campaign}`; every other one
 * must be in the campaign's `vars`, which is checked at start-up (a typo never reaches a customer).
 * `{{` and `}}` write literal braces.
 */
export const BUILTIN_PLACEHOLDERS = ['name', 'userid', 'campaign'] as const;

const PLACEHOLDER = /\{\{|\}\}|\{([^{}\s]+)\}/gu;

/** The placeholders a template uses. */
export function placeholdersOf(template: string): string[] {
  const out = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) if (m[1]) out.add(m[1]);
  return [...out];
}

/** The unknown placeholders of a template, given the campaign's vars. */
export function unknownPlaceholders(template: string, vars: Readonly<Record<string, string>>): string[] {
  return placeholdersOf(template).filter((p) => !(BUILTIN_PLACEHOLDERS as readonly string[]).includes(p) && !(p in vars));
}

export function renderOffer(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (whole, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    return name !== undefined && name in values ? (values[name] as string) : whole;
  });
}
