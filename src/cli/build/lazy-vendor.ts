/**
 * The stub a bundle gets in place of a vendored library (undici, kysely, croner, …).
 *
 * esbuild turns `import { sql } from 'kysely'` at the top of a module into a `require` that
 * runs when that module initialises, whether or not `sql` is ever called: a config importing
 * from 'wecombot' would compile every vendored library at cold start. The stub is an object
 * whose first property read requires `vendor/<name>.js`: named imports (`lib.name`, read at
 * the call) load the library on first use, while `class X extends lib.Base` or a namespace
 * import still load it at once, which is merely eager, never wrong.
 */

/**
 * CommonJS source of the stub for `name` (its `./vendor/<name>.js` resolves next to index.js).
 * `keys` are the library's export names, read at build time: an ESM importer wraps the stub
 * with esbuild's `__toESM`, which lists the keys and their descriptors, and answering that
 * from the list keeps the wrap from loading the library (its getters read through later).
 */
export function lazyVendorModule(name: string, keys: readonly string[]): string {
  const file = JSON.stringify(`./vendor/${name}.js`);
  return [
    'let lib;',
    `const load = () => (lib ??= require(${file}));`,
    `const keys = ${JSON.stringify(keys)};`,
    'module.exports = new Proxy({}, {',
    '  get: (_, key) => load()[key],',
    '  has: (_, key) => keys.includes(key) || key in load(),',
    '  ownKeys: () => keys,',
    // The target is an empty object: a proxy may only report its properties as configurable.
    '  getOwnPropertyDescriptor: (_, key) => (keys.includes(key) ? { value: undefined, writable: true, enumerable: true, configurable: true } : undefined),',
    '});',
    '',
  ].join('\n');
}

/** Export names of `name` as Node loads it from `nodeModules` (`default` excluded: __toESM adds it). */
export async function exportKeys(name: string, resolveFrom: string): Promise<string[]> {
  const { createRequire } = await import('node:module');
  const mod = createRequire(resolveFrom)(name) as Record<string, unknown>;
  return Object.keys(mod).filter((k) => k !== 'default' && k !== '__esModule');
}
