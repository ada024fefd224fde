/**
 * The child composer a module registers its handlers on. It holds the module to what it
 * declared: a command it did not declare in `consumes.commands` is refused at start-up (so the
 * core's conflict check cannot be bypassed), and its button ids carry its namespace.
 */
import { buttonId, matchAction, type ActionContext, type ActionTarget, type ActionTrigger } from './action.js';
import { Composer, type Middleware } from './composer.js';
import type { Context } from './context.js';
import { BotConfigError } from './errors.js';
import type { CommandContext } from './triggers.js';

/** A command word as claimed: without a leading `/` or full-width `／`. */
export function bareCommand(name: string): string {
  return name.replace(/^[/／]/u, '');
}

export class ModuleComposer<C extends Context = Context> extends Composer<C> {
  /** The module's name. */
  readonly module: string;
  readonly #namespace: string | undefined;
  readonly #commands: ReadonlySet<string>;

  constructor(module: string, declared: { commands: readonly string[]; namespace: string | undefined }) {
    super();
    this.module = module;
    this.#namespace = declared.namespace;
    this.#commands = new Set(declared.commands.map(bareCommand));
  }

  /** As `Composer.command`, for commands the module declared in `consumes.commands`. */
  override command(name: string | readonly string[], ...middleware: Middleware<CommandContext<C>>[]): Composer<CommandContext<C>> {
    for (const n of typeof name === 'string' ? [name] : name) {
      if (!this.#commands.has(bareCommand(n))) {
        throw new BotConfigError(`module ${this.module} handles the command "${n}" without declaring it`, {
          hint: `add it to consumes.commands of ${this.module}, so a second module claiming it is caught at start-up`,
        });
      }
    }
    return super.command(name, ...middleware);
  }

  /**
   * Handles clicks on this module's buttons: `action('join')` answers the id `<namespace>:join`
   * (a RegExp is tested against the part after the namespace).
   */
  override action<T extends ActionTrigger>(trigger: T, ...middleware: Middleware<ActionContext<C, T>>[]): Composer<ActionContext<C, T>> {
    const namespace = this.#requireNamespace();
    return this.filter((ctx): ctx is ActionContext<C, T> => matchAction(ctx as unknown as ActionTarget, trigger, namespace), ...middleware);
  }

  /** The full id of this module's button `id`, for building cards and markdown buttons. */
  button(id: string): string {
    return buttonId(this.#requireNamespace(), id);
  }

  #requireNamespace(): string {
    if (!this.#namespace) {
      throw new BotConfigError(`module ${this.module} uses buttons without declaring a namespace`, {
        hint: `add consumes.buttons: ['${this.module}']`,
      });
    }
    return this.#namespace;
  }
}
