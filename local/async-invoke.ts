/**
 * Lambda's asynchronous invocation (InvocationType Event; how EventBridge invokes a rule's Lambda
 * target), as AWS documents it (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html):
 * the event is accepted at once and queued; a function error is retried up to MaximumRetryAttempts
 * times (default 2), one minute after the first failure and two minutes after the second; a
 * throttled attempt is retried with a backoff from 1 s doubling to 5 min and counts as no attempt;
 * an event older than MaximumEventAgeInSeconds (default 6 h) when an attempt is due is given up.
 * The outcome goes to the EventInvokeConfig's destinations (SQS queues of the app) and, on failure,
 * to the function's dead-letter queue. All timing is on the runtime clock.
 */
import { randomUUID } from 'crypto';
import { Clock } from './clock';
import { LambdaFunctionError, LocalFunction } from './functions';
import { LocalQueues } from './queues';
import { EventInvokeConfigDef } from './template';

export type AsyncCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** What the function answered on its last attempt: its result, or its error as Lambda reports it. */
export interface LambdaErrorPayload { errorType: string; errorMessage: string; trace: string[] }

export interface AsyncInvocation {
  readonly requestId: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly payload: unknown;
  /** Clock time (ms) the event was accepted. */
  readonly acceptedAt: number;
  /** Clock time (ms) each invocation of the function started (throttled attempts excluded). */
  readonly attemptsAt: number[];
  throttles: number;
  status: 'queued' | 'succeeded' | 'failed';
  condition?: AsyncCondition;
  /** While queued: when the next attempt is due (clock ms). */
  nextAttemptAt?: number;
  lastError?: LambdaErrorPayload;
  result?: unknown;
  /** Where the outcome was delivered (queue ARNs), and why a delivery failed. */
  readonly deliveredTo: string[];
  deliveryErrors: string[];
}

/** The asynchronous-invocation settings of one function. */
export interface AsyncPolicy {
  readonly maxRetries: number;
  readonly maxEventAgeSeconds: number;
  readonly onFailure?: string;
  readonly onSuccess?: string;
  readonly deadLetterArn?: string;
}

const DEFAULT_POLICY: AsyncPolicy = { maxRetries: 2, maxEventAgeSeconds: 21_600 };
const THROTTLE_BACKOFF_MAX_MS = 5 * 60_000;
const ERROR_MESSAGE_ATTRIBUTE_BYTES = 1024;

export class AsyncInvoker {
  /** Every asynchronous invocation accepted (the most recent 10,000), oldest first. */
  readonly invocations: AsyncInvocation[] = [];
  private listeners: ((inv: AsyncInvocation) => void)[] = [];
  private readonly configs = new Map<string, EventInvokeConfigDef>();

  constructor(private readonly clock: Clock, private readonly queues: LocalQueues, configs: EventInvokeConfigDef[]) {
    for (const c of configs) this.configs.set(c.functionName, c);
  }

  policy(fn: LocalFunction): AsyncPolicy {
    const c = this.configs.get(fn.def.name);
    return {
      maxRetries: c?.maxRetries ?? DEFAULT_POLICY.maxRetries, maxEventAgeSeconds: c?.maxEventAgeSeconds ?? DEFAULT_POLICY.maxEventAgeSeconds,
      onFailure: c?.onFailure, onSuccess: c?.onSuccess, deadLetterArn: fn.def.deadLetterArn,
    };
  }

  /** Called once per invocation when it succeeds or is given up. */
  onSettled(listener: (inv: AsyncInvocation) => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  /** Accepts an event for `fn` (Lambda answers 202 at this point) and runs it in the background. */
  invoke(fn: LocalFunction, payload: unknown): AsyncInvocation {
    const inv: AsyncInvocation = {
      requestId: randomUUID(), functionName: fn.def.name, functionArn: fn.def.arn, payload, acceptedAt: this.clock.now(),
      attemptsAt: [], throttles: 0, status: 'queued', deliveredTo: [], deliveryErrors: [],
    };
    if (this.invocations.length >= 10_000) this.invocations.splice(0, 1000);
    this.invocations.push(inv);
    // A separate poller reads the event queue: the caller never waits for the function.
    this.schedule(fn, inv, 0);
    return inv;
  }

  private schedule(fn: LocalFunction, inv: AsyncInvocation, delayMs: number) {
    inv.nextAttemptAt = this.clock.now() + delayMs;
    if (delayMs === 0) setImmediate(() => { void this.attempt(fn, inv); });
    else this.clock.setTimeout(() => { void this.attempt(fn, inv); }, delayMs);
  }

  private async attempt(fn: LocalFunction, inv: AsyncInvocation): Promise<void> {
    inv.nextAttemptAt = undefined;
    const policy = this.policy(fn);
    if (this.clock.now() - inv.acceptedAt > policy.maxEventAgeSeconds * 1000) return this.settle(inv, policy, 'EventAgeExceeded');
    const started = this.clock.now();
    try {
      const result = await fn.invoke(inv.payload);
      inv.attemptsAt.push(started);
      inv.result = result;
      return this.settle(inv, policy, 'Success');
    } catch (err) {
      const e = err instanceof LambdaFunctionError ? err : new LambdaFunctionError((err as Error)?.name || 'Error', (err as Error)?.message ?? String(err));
      if (e.errorType === 'Lambda.TooManyRequestsException') {
        // Throttled (429): back to the queue, retried until the event is too old; not an attempt.
        inv.throttles++;
        return this.schedule(fn, inv, Math.min(THROTTLE_BACKOFF_MAX_MS, 1000 * 2 ** (inv.throttles - 1)));
      }
      inv.attemptsAt.push(started);
      inv.lastError = { errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace };
      if (inv.attemptsAt.length > policy.maxRetries) return this.settle(inv, policy, 'RetriesExhausted');
      this.schedule(fn, inv, inv.attemptsAt.length === 1 ? 60_000 : 120_000);
    }
  }

  private settle(inv: AsyncInvocation, policy: AsyncPolicy, condition: AsyncCondition) {
    inv.condition = condition;
    inv.status = condition === 'Success' ? 'succeeded' : 'failed';
    const destination = condition === 'Success' ? policy.onSuccess : policy.onFailure;
    if (destination) this.deliver(inv, destination, JSON.stringify(this.record(inv, condition)));
    // A dead-letter queue gets the event itself, with the error in attributes; it receives the event
    // whether or not an on-failure destination is configured ("in addition to or instead of").
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    if (condition !== 'Success' && policy.deadLetterArn) {
      const message = Buffer.from(inv.lastError?.errorMessage ?? condition).subarray(0, ERROR_MESSAGE_ATTRIBUTE_BYTES).toString('utf8');
      this.deliver(inv, policy.deadLetterArn, JSON.stringify(inv.payload ?? null), {
        RequestID: { DataType: 'String', StringValue: inv.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: message },
      });
    }
    for (const l of this.listeners) l(inv);
  }

  /**
   * The invocation record Lambda sends to a destination (for SQS, the message body), per the
   * "Example invocation record" of
   * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html:
   * `{ version: "1.0", timestamp, requestContext: { requestId, functionArn: "<arn>:$LATEST", condition,
   * approximateInvokeCount }, requestPayload, responseContext: { statusCode: 200, executedVersion:
   * "$LATEST", functionError: "Unhandled" }, responsePayload }`. A Node.js handler's thrown error is
   * "Unhandled" and its payload is `{ errorType, errorMessage, trace }`.
   */
  record(inv: AsyncInvocation, condition: AsyncCondition): Record<string, unknown> {
    const ran = inv.attemptsAt.length > 0;
    return {
      version: '1.0',
      timestamp: new Date(this.clock.now()).toISOString(),
      requestContext: { requestId: inv.requestId, functionArn: `${inv.functionArn}:$LATEST`, condition, approximateInvokeCount: inv.attemptsAt.length },
      requestPayload: inv.payload ?? null,
      // An event that never ran (throttled until too old) has no response; AWS documents none for it.
      ...(ran ? {
        responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(condition === 'Success' ? {} : { functionError: 'Unhandled' }) },
        responsePayload: condition === 'Success' ? inv.result ?? null : inv.lastError,
      } : {}),
    };
  }

  private deliver(inv: AsyncInvocation, queueArn: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>) {
    try {
      this.queues.send(queueArn, body, { attributes });
      inv.deliveredTo.push(queueArn);
    } catch (err) {
      // On AWS this is the DestinationDeliveryFailures / DeadLetterErrors metric: the record is lost.
      inv.deliveryErrors.push(`${queueArn}: ${(err as Error).message}`);
    }
  }
}
