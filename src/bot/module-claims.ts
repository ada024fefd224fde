/**
 * What installed modules consume: module names, command words and button namespaces. A second
 * claim is a start-up error naming both modules, so two ready-made bots can never silently
 * answer the same command (the first would win, and which one is first would be luck).
 */
import { BotConfigError } from './errors.js';
import type { ModuleConsumes } from './module.js';
import { bareCommand } from './module-composer.js';

export class ModuleClaims {
  #modules = new Set<string>();
  #commands = new Map<string, string>();
  #namespaces = new Map<string, string>();

  /**
   * Records the module's claims, all or none. Returns its button namespace (the first one it
   * declared), if any.
   * @throws BotConfigError naming both modules on any overlap.
   */
  claim(module: string, consumes: ModuleConsumes | undefined): string | undefined {
    if (this.#modules.has(module)) {
      throw new BotConfigError(`module ${module} is installed twice`, {
        hint: 'list each module once in bots: [...]; give a second instance another name',
      });
    }
    const commands = (consumes?.commands ?? []).map(bareCommand);
    const namespaces = [...(consumes?.buttons ?? [])];
    for (const ns of namespaces) {
      if (!/^[a-z][a-z0-9-]*$/.test(ns))
        throw new BotConfigError(`module ${module}: button namespace "${ns}" is invalid`, { hint: 'lower-case letters, digits and -' });
    }
    for (const c of commands) {
      if (c === '' || /\s/.test(c)) throw new BotConfigError(`module ${module}: command "${c}" must be one word`);
      const owner = this.#commands.get(c);
      if (owner)
        throw new BotConfigError(`the command "${c}" is claimed by both ${owner} and ${module}`, {
          hint: 'remove one of the modules, or rename the command in its options',
        });
    }
    for (const ns of namespaces) {
      const owner = this.#namespaces.get(ns);
      if (owner)
        throw new BotConfigError(`the button namespace "${ns}" is claimed by both ${owner} and ${module}`, {
          hint: 'each module needs its own namespace',
        });
    }
    this.#modules.add(module);
    for (const c of commands) this.#commands.set(c, module);
    for (const ns of namespaces) this.#namespaces.set(ns, module);
    return namespaces[0];
  }
}
