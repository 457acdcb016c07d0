/**
 * Lambda as Step Functions calls it: the plain function ARN resource (the result is the function's
 * value) and the optimized `arn:aws:states:::lambda:invoke` (the result is the Invoke response,
 * `Payload` holding the value). A function error surfaces with Error = its errorType and Cause = the
 * function's error JSON, as on AWS.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
 */
import { randomUUID } from 'crypto';
import { StatesError } from '../interpreter/errors';
import { TaskRequest } from '../interpreter/executor';
import { Integration } from './registry';
import { sdkCause, sdkMetadata } from './sdk';

/** A function the runtime can call synchronously; rejects with `{ errorType, cause }` on a function error. */
export interface Invocable {
  invoke(payload: unknown, request?: TaskRequest): Promise<unknown>;
}

export interface FunctionDirectory {
  find(ref: string): Invocable | undefined;
  /** Lambda's asynchronous queue (`InvocationType: Event`, rule targets); throws when there is no such function. */
  invokeAsync(ref: string, payload: unknown): void;
}

/** The function's full ARN, as Lambda names it in its errors. */
function functionArn(ref: string, request: TaskRequest): string {
  if (ref.startsWith('arn:')) return ref;
  const [, , , region, account] = request.execution.executionArn.split(':');
  return `arn:aws:lambda:${region}:${account}:function:${ref}`;
}

/**
 * What Lambda receives as the event: a string Payload is the request body itself, so its JSON
 * text is parsed (recorded: Payload "null" arrives as null); no Payload at all arrives as `{}`.
 */
function eventOf(payload: unknown): unknown {
  if (payload === undefined || payload === null) return {};
  if (typeof payload !== 'string') return payload;
  try { return JSON.parse(payload); } catch { return payload; }
}

/** Lambda Invoke's response headers, which Step Functions copies into the result (recorded AWS). */
function invokeHeaders(result: unknown, requestId: string): Record<string, string> {
  return {
    Connection: 'keep-alive', 'Content-Length': String(Buffer.byteLength(JSON.stringify(result ?? null))), 'Content-Type': 'application/json',
    Date: new Date().toUTCString(), 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-Remapped-Content-Length': '0', 'x-amzn-RequestId': requestId,
    'X-Amzn-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)};Sampled=0;Lineage=1`,
  };
}

export function lambdaIntegration(functions: FunctionDirectory): Integration {
  const call = async (ref: string, payload: unknown, request: TaskRequest) => {
    const fn = functions.find(ref);
    // Recorded AWS wording, with the function's full ARN.
    if (!fn) throw new StatesError('Lambda.ResourceNotFoundException', sdkCause(`Function not found: ${functionArn(ref, request)}`, 'AWSLambda', 'ResourceNotFoundException', 404));
    try {
      return await fn.invoke(payload, request);
    } catch (err) {
      const e = err as { errorType?: string; cause?: string; name?: string; message?: string };
      if (e.errorType !== undefined) throw new StatesError(e.errorType, e.cause ?? '');
      throw err;
    }
  };
  return {
    name: 'lambda',
    // EventBridge invokes Lambda asynchronously: the delivery succeeds once Lambda has queued the
    // event; retries, event age and destinations are Lambda's (local/async-invoke.ts).
    takes: (arn) => arn.startsWith('arn:aws:lambda:'),
    deliver: async (arn, input) => functions.invokeAsync(arn, input),
    serves: (base) => /^arn:aws:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/.test(base) || base === 'arn:aws:states:::lambda:invoke',
    refuse(base, state) {
      const params = (state.Parameters ?? state.Arguments) as Record<string, unknown> | undefined;
      const ref = base.startsWith('arn:aws:lambda:') ? base : params?.FunctionName;
      if (typeof ref === 'string' && !ref.includes('{%') && !functions.find(ref)) return `a call to ${ref}, which is not a function of the synthesized app`;
      return undefined;
    },
    async invoke(request) {
      if (request.base.startsWith('arn:aws:lambda:')) return call(request.base, request.parameters, request);
      const params = (request.parameters ?? {}) as Record<string, unknown>;
      const ref = String(params.FunctionName);
      if (params.InvocationType === 'Event') {
        if (!functions.find(ref)) throw new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${ref}`);
        functions.invokeAsync(ref, eventOf(params.Payload));
        return { Payload: '', SdkHttpMetadata: { HttpStatusCode: 202 }, SdkResponseMetadata: { RequestId: randomUUID() }, StatusCode: 202 };
      }
      const payload = await call(ref, eventOf(params.Payload), request);
      const requestId = randomUUID();
      return { ExecutedVersion: '$LATEST', Payload: payload, ...sdkMetadata(invokeHeaders(payload, requestId), requestId), StatusCode: 200 };
    },
  };
}
