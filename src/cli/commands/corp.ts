import { CommanderError, type Command } from 'commander';
import { CORP_ENV, createCorpClient, readCorpEnv, type CorpClient, type CorpTagGroup } from '../../corp/index.js';
import { WecombotError } from '../../errors.js';
import { openStore, openStoreFromEnv, type Store } from '../../store/index.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

/** Exit codes of `wecombot corp`: 0 done, 1 WeCom or the network said no, 2 the command line or the environment is wrong. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface CommonFlags {
  apiBase?: string;
  timeout: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * `wecombot corp`: the corp API of a self-built app from a shell, with WECOM_CORP_ID and
 * WECOM_CORP_SECRET from the environment (never from flags, which end up in shell history).
 * `token --check` says whether they work without printing the token; `tags` lists, adds and
 * marks corp customer tags.
 */
export function registerCorpCommand(program: Command): void {
  const corp = program
    .command('corp')
    .description(`the corp API of a self-built app (${CORP_ENV.corpId}, ${CORP_ENV.secret}; ${CORP_ENV.apiBase} for a fake)`)
    // Usage errors exit 2 here (commander's default is 1), so scripts can tell them from WeCom's refusals.
    .exitOverride((err) => {
      throw err.exitCode === 0 ? err : new CommanderError(EXIT.usage, err.code, err.message);
    });

  corp
    .command('token')
    .description('check the corpid and secret (and that the app may call the customer-contact API); the token is never printed')
    .option('--check', 'fetch a token and make one read-only call')
    .option('--no-probe', 'only fetch the token, skip the customer-contact call')
    .option('--api-base <url>', `corp API origin (default ${CORP_ENV.apiBase} or https://qyapi.weixin.qq.com)`)
    .option('--timeout <ms>', 'timeout of one HTTP request in ms', '10000')
    .action(async (flags: CommonFlags & { check?: boolean; probe: boolean }) => {
      process.exitCode = await guarded(async () => {
        if (!flags.check) throw usage('nothing to do', 'run `wecombot corp token --check`; the token itself is never printed');
        return withClient(flags, { shared: false }, async (client) => {
          await client.accessToken();
          process.stdout.write(`corp ${client.corpId}: gettoken ok (corpid and secret work; the token is not shown)\n`);
          if (flags.probe) {
            await client.tags.list();
            process.stdout.write('customer-contact API: ok (get_corp_tag_list answered; the app may call it from this IP)\n');
          }
          return EXIT.ok;
        });
      });
    });

  const tags = corp.command('tags').description('corp customer tags (企业客户标签)');

  tags
    .command('list')
    .description('list the tag groups and their tags')
    .option('--json', 'print the groups as JSON')
    .option('--api-base <url>', 'corp API origin')
    .option('--timeout <ms>', 'timeout of one HTTP request in ms', '10000')
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      process.exitCode = await guarded(() =>
        withClient(flags, { shared: true }, async (client) => {
          const groups = await client.tags.list();
          process.stdout.write(flags.json ? `${JSON.stringify(groups, null, 2)}\n` : renderGroups(groups));
          return EXIT.ok;
        }),
      );
    });

  tags
    .command('add')
    .description('add tags to a group (created when no group of that name exists)')
    .argument('<names...>', 'tag names (≤ 30 characters each)')
    .option('--group <name>', 'the group name')
    .option('--group-id <id>', 'an existing group id instead of --group')
    .option('--order <n>', "the group's order when it is created (larger sorts first)")
    .option('--api-base <url>', 'corp API origin')
    .option('--timeout <ms>', 'timeout of one HTTP request in ms', '10000')
    .action(async (names: string[], flags: CommonFlags & { group?: string; groupId?: string; order?: string }) => {
      process.exitCode = await guarded(async () => {
        if (!flags.group === !flags.groupId)
          throw usage('give --group NAME or --group-id ID (one of them)', 'e.g. wecombot corp tags add --group 意向 高 低');
        const order = flags.order === undefined ? undefined : integer(flags.order, '--order');
        return withClient(flags, { shared: true }, async (client) => {
          const group = await client.tags.add({
            ...(flags.group && { group_name: flags.group }),
            ...(flags.groupId && { group_id: flags.groupId }),
            ...(order !== undefined && { order }),
            tag: names.map((name) => ({ name })),
          });
          process.stdout.write(
            `added ${group.tag.length} tag(s) to ${group.group_name} (${group.group_id}): ${group.tag.map((t) => `${t.name} ${t.id}`).join(', ')}\n`,
          );
          return EXIT.ok;
        });
      });
    });

  tags
    .command('mark')
    .description('add and remove corp tags on one customer of one staff member (mark_tag)')
    .requiredOption('--user <userid>', 'the staff userid')
    .requiredOption('--customer <external_userid>', "the customer's external_userid")
    .option('--add <tag_id>', 'a tag id to add (repeatable)', collect, [])
    .option('--remove <tag_id>', 'a tag id to remove (repeatable)', collect, [])
    .option('--api-base <url>', 'corp API origin')
    .option('--timeout <ms>', 'timeout of one HTTP request in ms', '10000')
    .action(async (flags: CommonFlags & { user: string; customer: string; add: string[]; remove: string[] }) => {
      process.exitCode = await guarded(async () => {
        if (flags.add.length === 0 && flags.remove.length === 0)
          throw usage('nothing to mark', 'give --add TAG_ID and/or --remove TAG_ID (ids from `wecombot corp tags list`)');
        return withClient(flags, { shared: true }, async (client) => {
          await client.tags.mark({
            userid: flags.user,
            external_userid: flags.customer,
            ...(flags.add.length && { add_tag: flags.add }),
            ...(flags.remove.length && { remove_tag: flags.remove }),
          });
          process.stdout.write(`marked ${flags.customer} of ${flags.user}: ${flags.add.length} added, ${flags.remove.length} removed\n`);
          return EXIT.ok;
        });
      });
    });
  withEnvAll(corp, [...ENV_HELP.corpApi, ENV_HELP.store[0]!, ENV_HELP.store[1]!]);
}

/**
 * Opens the client for one command. `shared`: reuse the token the deployed bot caches when
 * WECOMBOT_DATABASE_URL / WECOMBOT_REDIS_URL is set (no extra gettoken); a check always asks
 * WeCom afresh, from a memory store.
 */
async function withClient(flags: CommonFlags, options: { shared: boolean }, run: (client: CorpClient) => Promise<number>): Promise<number> {
  const credentials = readCorpEnv(process.env);
  if (!credentials)
    throw usage(
      `${CORP_ENV.corpId} and ${CORP_ENV.secret} are not set`,
      `export ${CORP_ENV.corpId}=ww… (我的企业 → 企业信息) and ${CORP_ENV.secret}=… (应用管理 → the app → Secret)`,
    );
  const timeoutMs = integer(flags.timeout, '--timeout');
  const useShared = options.shared && Boolean(process.env.WECOMBOT_DATABASE_URL || process.env.WECOMBOT_REDIS_URL);
  const store: Store = useShared ? await openStoreFromEnv() : await openStore({ databaseUrl: 'memory:' });
  const baseUrl = flags.apiBase ?? (process.env[CORP_ENV.apiBase] || undefined);
  let client: CorpClient | undefined;
  try {
    client = createCorpClient({ ...credentials, store, timeoutMs, ...(baseUrl && { baseUrl }) });
    return await run(client);
  } finally {
    await client?.close();
    await store.close();
  }
}

/** Runs a command body: WeCom and network failures exit 1, configuration and usage errors 2. */
async function guarded(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof WecombotError)) throw err;
    process.stderr.write(`wecombot: ${err.describe()}\n`);
    return err.code === 'cli_usage' || err.code === 'corp_config' || err.code === 'corp_request_invalid' ? EXIT.usage : EXIT.failed;
  }
}

function renderGroups(groups: CorpTagGroup[]): string {
  if (groups.length === 0) return 'no corp tags\n';
  return groups.map((g) => `${g.group_name}  ${g.group_id}\n${g.tag.map((t) => `  ${t.name}  ${t.id}\n`).join('')}`).join('');
}

function integer(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw usage(`${flag} must be a whole number`, `e.g. ${flag} 10000`);
  return n;
}

function usage(message: string, hint: string): WecombotError {
  return new WecombotError('cli_usage', message, { hint });
}
