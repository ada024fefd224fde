/**
 * Asynchronous invocation of the running function itself, with the function role's temporary
 * credentials from the environment: SCF's Invoke API (InvocationType Event, TC3 signing) and
 * Lambda's Invoke (X-Amz-Invocation-Type: Event, SigV4). Both answer once the platform queued
 * the event, in tens of milliseconds, so the HTTP invocation can still answer WeCom in budget.
 */
import { redactSecrets } from '../../redact.js';
import { amzDate, sigV4Headers } from './sigv4.js';
import { tc3Headers } from './tc3.js';

/** Queues `event` for an asynchronous run of this function; rejects when the platform refused. */
export interface SelfInvoker {
  readonly platform: 'scf' | 'lambda';
  invoke(event: unknown): Promise<void>;
}

/** How long the Invoke call may take: it runs inside WeCom's ack budget. */
const INVOKE_TIMEOUT_MS = 1500;

type Env = Readonly<Record<string, string | undefined>>;

/** Off when WECOMBOT_FAAS_HANDOFF is 0/off/false: late work then stays in the invocation. */
function handoffDisabled(env: Env): boolean {
  return /^(0|off|false|no)$/i.test(env.WECOMBOT_FAAS_HANDOFF ?? '');
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  secrets: string[],
): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(INVOKE_TIMEOUT_MS) });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as { message?: string; cause?: { code?: string; message?: string } };
    throw new Error(redactSecrets(`invoke request failed: ${e.cause?.code ?? e.cause?.message ?? e.message ?? String(err)}`, secrets));
  }
}

/**
 * SCF: the environment of a running function names it (SCF_FUNCTIONNAME, SCF_NAMESPACE,
 * TENCENTCLOUD_REGION) and carries the role's credentials (TENCENTCLOUD_SECRETID, _SECRETKEY,
 * _SESSIONTOKEN; present when the function has an execution role). Undefined when any is
 * missing (local runs, tests, a function without a role) or the handoff is switched off.
 * WECOMBOT_SCF_INVOKE_ENDPOINT replaces https://scf.tencentcloudapi.com (tests, private endpoints).
 */
export function scfSelfInvoker(env: Env = process.env): SelfInvoker | undefined {
  const functionName = env.SCF_FUNCTIONNAME;
  const region = env.TENCENTCLOUD_REGION ?? env.SCF_REGION;
  const secretId = env.TENCENTCLOUD_SECRETID;
  const secretKey = env.TENCENTCLOUD_SECRETKEY;
  if (handoffDisabled(env) || !functionName || !region || !secretId || !secretKey) return undefined;
  const sessionToken = env.TENCENTCLOUD_SESSIONTOKEN;
  const endpoint = new URL(env.WECOMBOT_SCF_INVOKE_ENDPOINT ?? 'https://scf.tencentcloudapi.com');
  // The version that runs now: a handoff from version 3 runs version 3, not $LATEST.
  const qualifier = env.SCF_FUNCTIONVERSION;
  const namespace = env.SCF_NAMESPACE ?? 'default';
  const secrets = [secretKey, ...(sessionToken ? [sessionToken] : [])];
  return {
    platform: 'scf',
    async invoke(event) {
      const body = JSON.stringify({
        FunctionName: functionName,
        InvocationType: 'Event',
        Namespace: namespace,
        ...(qualifier ? { Qualifier: qualifier } : {}),
        ClientContext: JSON.stringify(event),
      });
      const headers = tc3Headers(
        { secretId, secretKey, sessionToken },
        {
          service: 'scf',
          host: endpoint.host,
          action: 'Invoke',
          version: '2018-04-16',
          region,
          body,
          timestamp: Math.floor(Date.now() / 1000),
        },
      );
      const res = await post(endpoint.href, headers, body, secrets);
      let answer: { Response?: { Error?: { Code?: string; Message?: string } } } | undefined;
      try {
        answer = JSON.parse(res.text) as typeof answer;
      } catch {
        answer = undefined;
      }
      const error = answer?.Response?.Error;
      if (res.status !== 200 || !answer?.Response || error) {
        throw new Error(
          redactSecrets(`SCF Invoke refused (HTTP ${res.status}${error ? `, ${error.Code}: ${error.Message}` : ''})`, secrets),
        );
      }
    },
  };
}

/**
 * Why a deployed function has no self-invoker, for the warning the adapters log once per
 * instance: undefined when there is one, when the handoff is switched off
 * (WECOMBOT_FAAS_HANDOFF=0, a choice) or when not running on the platform (no
 * SCF_FUNCTIONNAME / AWS_LAMBDA_FUNCTION_NAME: local runs, tests). Otherwise the variables that
 * are missing and what to do: without them every callback is handled in the HTTP invocation,
 * and a handler slower than WeCom's 5 s holds the answer (WeCom then retries).
 */
export function selfInvokeUnavailable(platform: 'scf' | 'lambda', env: Env = process.env): { missing: string[]; fix: string } | undefined {
  if (handoffDisabled(env)) return undefined;
  if (platform === 'scf') {
    if (!env.SCF_FUNCTIONNAME) return undefined;
    const missing = [
      ...((env.TENCENTCLOUD_REGION ?? env.SCF_REGION) ? [] : ['TENCENTCLOUD_REGION']),
      ...['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN'].filter((k) => !env[k]),
    ];
    // The session token is optional for the call (permanent keys have none); the others are not.
    if (missing.length === 0 || (missing.length === 1 && missing[0] === 'TENCENTCLOUD_SESSIONTOKEN')) return undefined;
    return {
      missing,
      fix:
        'attach an execution role that allows scf:Invoke on this function (console: 函数配置 → 执行角色; serverless.yml: inputs.role), ' +
        'which makes SCF set TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY and TENCENTCLOUD_SESSIONTOKEN; ' +
        'or set WECOMBOT_FAAS_HANDOFF=0 if every handler answers within ackBudgetMs',
    };
  }
  if (!env.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  const missing = [
    ...((env.AWS_REGION ?? env.AWS_DEFAULT_REGION) ? [] : ['AWS_REGION']),
    ...['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((k) => !env[k]),
  ];
  if (missing.length === 0) return undefined;
  return {
    missing,
    fix:
      'the Lambda runtime sets AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the execution role: check that the function has one ' +
      'allowing lambda:InvokeFunction on itself and that nothing removes these variables; ' +
      'or set WECOMBOT_FAAS_HANDOFF=0 if every handler answers within ackBudgetMs',
  };
}

/**
 * Lambda: AWS_LAMBDA_FUNCTION_NAME, AWS_REGION and the role's AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, all set by the runtime. `functionArn` (the
 * context's invokedFunctionArn) keeps the alias or version. WECOMBOT_LAMBDA_INVOKE_ENDPOINT
 * replaces https://lambda.<region>.amazonaws.com.
 */
export function lambdaSelfInvoker(env: Env = process.env, functionArn?: string): SelfInvoker | undefined {
  const name = functionArn ?? env.AWS_LAMBDA_FUNCTION_NAME;
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (handoffDisabled(env) || !name || !region || !accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  const endpoint = new URL(env.WECOMBOT_LAMBDA_INVOKE_ENDPOINT ?? `https://lambda.${region}.amazonaws.com`);
  const path = `/2015-03-31/functions/${encodeURIComponent(name)}/invocations`;
  const secrets = [secretAccessKey, ...(sessionToken ? [sessionToken] : [])];
  return {
    platform: 'lambda',
    async invoke(event) {
      const body = JSON.stringify(event);
      const headers = sigV4Headers(
        { accessKeyId, secretAccessKey, sessionToken },
        {
          service: 'lambda',
          region,
          host: endpoint.host,
          path,
          body,
          headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
          amzDate: amzDate(new Date()),
        },
      );
      const res = await post(new URL(path, endpoint).href, headers, body, secrets);
      // An Event invocation is queued with 202 Accepted.
      if (res.status !== 202)
        throw new Error(redactSecrets(`Lambda Invoke refused (HTTP ${res.status}): ${res.text.slice(0, 200)}`, secrets));
    },
  };
}
