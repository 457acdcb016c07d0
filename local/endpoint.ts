/**
 * One loopback HTTP endpoint speaking the AWS protocols the SDK v3 clients send: the JSON protocols
 * routed by X-Amz-Target (Step Functions `AWSStepFunctions.*`, EventBridge `AWSEvents.*`, SQS
 * `AmazonSQS.*`, DynamoDB `DynamoDB_20120810.*` proxied to dynalite) and Lambda's REST `Invoke`
 * (`POST /2015-03-31/functions/{FunctionName}/invocations`), routed by path. The SDK clients and
 * `aws --endpoint-url` work against it unchanged.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { AsyncInvoker } from './async-invoke';
import { LocalBus } from './bus';
import { Engine, Execution, isRedrivable } from './engine';
import { MapRunRecord } from './interpreter/executor';
import { ApiError } from './errors';
import { InvalidEventPatternError, matchesPattern, validatePattern } from './event-pattern';
import { LambdaFunctionError, LocalFunction } from './functions';
import { LocalQueues, md5OfAttributes, MessageAttributeValue, QueueMessage, queueDoesNotExist, SqsError } from './queues';
import { LocalStore } from './store';

const secs = (ms?: number) => (ms === undefined ? undefined : ms / 1000);

function describe(e: Execution) {
  return {
    executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status,
    startDate: secs(e.startDate), stopDate: secs(e.stopDate), input: e.input, inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}), ...(e.cause !== undefined ? { cause: e.cause } : {}),
    ...(e.parentArn && !e.mapRunArn ? { parentExecutionArn: e.parentArn } : {}),
    ...(e.mapRunArn ? { mapRunArn: e.mapRunArn } : {}),
    redriveCount: e.redriveCount, ...(e.redriveDate !== undefined ? { redriveDate: secs(e.redriveDate) } : {}),
    redriveStatus: isRedrivable(e) ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
  };
}

function describeMapRun(r: MapRunRecord) {
  return { ...r, startDate: secs(r.startDate), stopDate: secs(r.stopDate) };
}

function page<T>(items: T[], body: Record<string, unknown>, max = 1000) {
  const size = Math.min(Number(body.maxResults ?? body.Limit ?? max) || max, max);
  const start = body.nextToken ? Number(Buffer.from(String(body.nextToken), 'base64').toString()) : 0;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return { slice, next };
}

export async function stepFunctionsApi(engine: Engine, op: string, b: Record<string, any>): Promise<unknown> {
  const exec = (arn: string) => {
    const e = engine.executions.get(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    // Express executions are not described or listed by the API, unless a Map Run started them
    // (DescribeExecution API reference; recorded AWS answers InvalidArn).
    if (e.type === 'EXPRESS' && !e.mapRunArn) throw new ApiError('InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
    return e;
  };
  switch (op) {
    case 'StartExecution': {
      const e = engine.startExecution({ stateMachineArn: b.stateMachineArn, name: b.name, input: b.input });
      return { executionArn: e.executionArn, startDate: secs(e.startDate) };
    }
    case 'StartSyncExecution': {
      // The SDK and CLI send this to a `sync-` prefixed host (use disableHostPrefix, see README).
      const e = await engine.startSyncExecution({ stateMachineArn: b.stateMachineArn, name: b.name, input: b.input });
      return {
        executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: secs(e.startDate), stopDate: secs(e.stopDate),
        input: e.input, inputDetails: { included: true }, ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
        ...(e.error !== undefined ? { error: e.error } : {}), ...(e.cause !== undefined ? { cause: e.cause } : {}),
        billingDetails: { billedDurationInMilliseconds: Math.max(100, Math.ceil(((e.stopDate ?? e.startDate) - e.startDate) / 100) * 100), billedMemoryUsedInMB: 64 },
      };
    }
    case 'RedriveExecution': return { redriveDate: secs(engine.redriveExecution(b.executionArn)) };
    case 'DescribeMapRun': {
      const r = engine.mapRuns.get(b.mapRunArn);
      if (!r) throw new ApiError('ResourceNotFound', `Map Run Does Not Exist: '${b.mapRunArn}'`);
      return describeMapRun(r);
    }
    case 'ListMapRuns': {
      exec(b.executionArn);
      const all = [...engine.mapRuns.values()].filter((r) => r.executionArn === b.executionArn);
      const { slice, next } = page(all, b);
      return { mapRuns: slice.map((r) => ({ executionArn: r.executionArn, mapRunArn: r.mapRunArn, stateMachineArn: r.stateMachineArn, startDate: secs(r.startDate), stopDate: secs(r.stopDate) })), nextToken: next };
    }
    case 'DescribeExecution': return describe(exec(b.executionArn));
    case 'StopExecution': return { stopDate: secs(engine.stopExecution(b.executionArn, b.error, b.cause)) };
    case 'ListExecutions': {
      if (b.mapRunArn !== undefined) {
        if (!engine.mapRuns.has(b.mapRunArn)) throw new ApiError('ResourceNotFound', `Map Run Does Not Exist: '${b.mapRunArn}'`);
      } else if (!engine.machines.has(b.stateMachineArn)) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${b.stateMachineArn}'`);
      // A machine's own list leaves out Distributed Map children; ListExecutions(mapRunArn) lists them.
      const all = [...engine.executions.values()].filter((e) => (b.mapRunArn !== undefined ? e.mapRunArn === b.mapRunArn : e.stateMachineArn === b.stateMachineArn && !e.mapRunArn)
        && (!b.statusFilter || e.status === b.statusFilter)).reverse();
      const { slice, next } = page(all, b);
      return { executions: slice.map((e) => ({ executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: secs(e.startDate), stopDate: secs(e.stopDate), ...(e.mapRunArn ? { mapRunArn: e.mapRunArn } : {}), redriveCount: e.redriveCount })), nextToken: next };
    }
    case 'GetExecutionHistory': {
      const events = exec(b.executionArn).history.map((ev) => ({ ...ev, timestamp: secs(ev.timestamp) }));
      if (b.reverseOrder) events.reverse();
      const { slice, next } = page(events, b);
      return { events: slice, nextToken: next };
    }
    case 'ListStateMachines':
      return { stateMachines: [...engine.machines.values()].map((m) => ({ stateMachineArn: m.def.arn, name: m.def.name, type: m.def.type, creationDate: 0 })) };
    case 'DescribeStateMachine': {
      const m = engine.machines.get(b.stateMachineArn);
      if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${b.stateMachineArn}'`);
      return { stateMachineArn: m.def.arn, name: m.def.name, status: 'ACTIVE', definition: JSON.stringify(m.def.definition), roleArn: m.def.roleArn, type: m.def.type, creationDate: 0 };
    }
    case 'SendTaskSuccess': engine.sendTaskSuccess(b.taskToken, b.output); return {};
    case 'SendTaskFailure': engine.sendTaskFailure(b.taskToken, b.error, b.cause); return {};
    case 'SendTaskHeartbeat': engine.sendTaskHeartbeat(b.taskToken); return {};
    default: throw new ApiError('UnknownOperationException', `local runtime does not serve Step Functions ${op}`);
  }
}

export function eventsApi(bus: LocalBus, op: string, b: Record<string, any>): unknown {
  switch (op) {
    case 'PutEvents': {
      if (!Array.isArray(b.Entries) || b.Entries.length === 0 || b.Entries.length > 10) throw new ApiError('ValidationException', 'Entries must hold 1 to 10 entries');
      return bus.putEvents(b.Entries);
    }
    case 'TestEventPattern': {
      let pattern: unknown; let event: Record<string, unknown>;
      try { pattern = JSON.parse(b.EventPattern); } catch { throw new ApiError('InvalidEventPatternException', 'Event pattern is not valid JSON'); }
      try { event = JSON.parse(b.Event); } catch { throw new ApiError('ValidationException', 'Parameter Event is not valid JSON'); }
      for (const field of ['id', 'account', 'source', 'time', 'region', 'detail-type']) {
        if (!(field in event)) throw new ApiError('ValidationException', `Parameter Event is not valid. Reason: Provided Event must have mandatory field ${field}`);
      }
      try { validatePattern(pattern); } catch (err) {
        if (err instanceof InvalidEventPatternError) throw new ApiError('InvalidEventPatternException', err.message);
        throw err;
      }
      return { Result: matchesPattern(pattern as Record<string, unknown>, event) };
    }
    case 'ListEventBuses': return { EventBuses: [...bus.buses.values()].map((x) => ({ Name: x.name, Arn: x.arn })) };
    default: throw new ApiError('UnknownOperationException', `local runtime does not serve EventBridge ${op}`);
  }
}

const QUEUE_ATTRIBUTES = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed', 'CreatedTimestamp',
  'LastModifiedTimestamp', 'QueueArn', 'VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds'];
const MESSAGE_SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'];

/** SQS over the JSON protocol (awsJson1_0, `AmazonSQS.<Op>`), as @aws-sdk/client-sqs and botocore send it. */
export async function sqsApi(queues: LocalQueues, op: string, b: Record<string, any>, account: string): Promise<unknown> {
  switch (op) {
    case 'ListQueues': {
      const urls = queues.list().filter((q) => !b.QueueNamePrefix || q.def.name.startsWith(b.QueueNamePrefix)).map((q) => queues.url(q));
      if (b.MaxResults === undefined) return urls.length ? { QueueUrls: urls.slice(0, 1000) } : {};
      const { slice, next } = page(urls, { maxResults: b.MaxResults, nextToken: b.NextToken }, 1000);
      return { QueueUrls: slice, ...(next ? { NextToken: next } : {}) };
    }
    case 'GetQueueUrl': {
      const q = b.QueueOwnerAWSAccountId && b.QueueOwnerAWSAccountId !== account ? undefined : queues.find(String(b.QueueName ?? ''));
      if (!q || q.def.name !== b.QueueName) throw queueDoesNotExist();
      return { QueueUrl: queues.url(q) };
    }
    case 'GetQueueAttributes': {
      const q = queues.get(b.QueueUrl);
      const asked: string[] = b.AttributeNames ?? [];
      for (const n of asked) if (n !== 'All' && !QUEUE_ATTRIBUTES.includes(n)) throw new SqsError('InvalidAttributeName', 'InvalidAttributeName', `Unknown Attribute ${n}.`);
      const names = asked.includes('All') ? QUEUE_ATTRIBUTES : asked;
      const c = queues.counts(b.QueueUrl);
      const all: Record<string, string> = {
        ApproximateNumberOfMessages: String(c.visible), ApproximateNumberOfMessagesNotVisible: String(c.inFlight), ApproximateNumberOfMessagesDelayed: String(c.delayed),
        CreatedTimestamp: String(Math.floor(q.createdAt / 1000)), LastModifiedTimestamp: String(Math.floor(q.createdAt / 1000)), QueueArn: q.def.arn,
        VisibilityTimeout: String(q.def.visibilityTimeoutSeconds), MessageRetentionPeriod: String(q.def.retentionSeconds), DelaySeconds: String(q.def.delaySeconds),
        MaximumMessageSize: String(q.def.maxMessageBytes), ReceiveMessageWaitTimeSeconds: String(q.def.receiveWaitSeconds),
      };
      return names.length ? { Attributes: Object.fromEntries(names.map((n) => [n, all[n]])) } : {};
    }
    case 'SendMessage': {
      const m = queues.send(b.QueueUrl, b.MessageBody, { attributes: b.MessageAttributes, delaySeconds: b.DelaySeconds });
      return { MessageId: m.MessageId, MD5OfMessageBody: m.MD5OfBody, ...(m.MD5OfMessageAttributes ? { MD5OfMessageAttributes: m.MD5OfMessageAttributes } : {}) };
    }
    case 'ReceiveMessage': {
      const got = await queues.receiveWait(b.QueueUrl, { max: b.MaxNumberOfMessages, visibilityTimeoutSeconds: b.VisibilityTimeout, waitTimeSeconds: b.WaitTimeSeconds });
      const system: string[] = [...(b.MessageSystemAttributeNames ?? []), ...(b.AttributeNames ?? [])];
      const wanted: string[] = b.MessageAttributeNames ?? [];
      return got.length ? { Messages: got.map((m) => receivedMessage(m, system, wanted, account)) } : {};
    }
    case 'DeleteMessage': queues.deleteMessage(b.QueueUrl, b.ReceiptHandle); return {};
    case 'ChangeMessageVisibility': queues.changeVisibility(b.QueueUrl, b.ReceiptHandle, Number(b.VisibilityTimeout)); return {};
    case 'PurgeQueue': queues.purge(b.QueueUrl); return {};
    default: throw new SqsError('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', `local runtime does not serve SQS ${op}`);
  }
}

/** A received message with the system attributes and message attributes the request named. */
function receivedMessage(m: QueueMessage, system: string[], wanted: string[], account: string) {
  const sys: Record<string, string> = {
    SenderId: account, SentTimestamp: String(m.sentAt), ApproximateReceiveCount: String(m.receiveCount), ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
  };
  const sysNames = system.includes('All') ? MESSAGE_SYSTEM_ATTRIBUTES : system.filter((n) => n in sys);
  const pick = (name: string) => wanted.some((w) => w === 'All' || w === '.*' || w === name || (w.endsWith('.*') && name.startsWith(w.slice(0, -1))));
  const attrs: Record<string, MessageAttributeValue> = Object.fromEntries(Object.entries(m.MessageAttributes).filter(([k]) => pick(k)));
  return {
    MessageId: m.MessageId, ReceiptHandle: m.ReceiptHandle, MD5OfBody: m.MD5OfBody, Body: m.Body,
    ...(sysNames.length ? { Attributes: Object.fromEntries(sysNames.map((n) => [n, sys[n]])) } : {}),
    ...(Object.keys(attrs).length ? { MessageAttributes: attrs, MD5OfMessageAttributes: md5OfAttributes(attrs) } : {}),
  };
}

/** What the endpoint needs to serve Lambda `Invoke`. */
export interface LambdaService {
  find(nameOrArn: string): LocalFunction | undefined;
  async: AsyncInvoker;
  region: string;
  account: string;
}

// Invoke payload limits: 6 MB synchronous, 1 MB asynchronous (raised from 256 KB in 2025).
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

interface RestAnswer { status: number; headers?: Record<string, string>; body?: string }

/** A Lambda REST error: `x-amzn-errortype` names it, the body is `{ Type, message }`. */
class LambdaApiError extends ApiError {
  constructor(code: string, message: string, status: number, readonly extra: Record<string, string> = {}) { super(code, message, status); }
}

/**
 * Lambda `Invoke` (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): RequestResponse
 * answers 200 with the result, or 200 with `X-Amz-Function-Error: Unhandled` and the error as the
 * body; Event queues the event on the asynchronous path and answers 202; DryRun answers 204.
 */
export async function lambdaInvoke(svc: LambdaService, rawName: string, qualifier: string | undefined, headers: http.IncomingHttpHeaders, raw: Buffer): Promise<RestAnswer> {
  // FunctionName: a name, a partial ARN (`<account>:function:<name>`) or an ARN, each optionally qualified.
  const m = /^(?:arn:aws:lambda:([a-z0-9-]+):)?(?:(\d{12}):function:)?([A-Za-z0-9_-]{1,140})(?::(\$LATEST|[A-Za-z0-9_-]+))?$/.exec(rawName);
  if (!m) throw new LambdaApiError('ValidationException', `1 validation error detected: Value '${rawName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern`, 400);
  const [, region, account, name, nameQualifier] = m;
  const q = qualifier ?? nameQualifier;
  const fn = (!region || region === svc.region) && (!account || account === svc.account) ? svc.find(name) : undefined;
  if (!fn || (q !== undefined && q !== '$LATEST')) {
    // Versions and aliases are not modelled: only $LATEST exists.
    throw new LambdaApiError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${svc.region}:${svc.account}:function:${name}${q ? `:${q}` : ''}`, 404);
  }
  const type = String(headers['x-amz-invocation-type'] ?? 'RequestResponse');
  if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) throw new LambdaApiError('InvalidParameterValueException', `Unsupported invocation type ${type}`, 400);
  const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
  if (raw.length > limit) throw new LambdaApiError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the InvokeFunction operation`, 413);
  let payload: unknown = {};
  if (raw.length) {
    try { payload = JSON.parse(raw.toString('utf8')); } catch (err) {
      throw new LambdaApiError('InvalidRequestContentException', `Could not parse request body into json: ${(err as Error).message}`, 400);
    }
  }
  if (type === 'DryRun') return { status: 204 };
  if (type === 'Event') {
    const inv = svc.async.invoke(fn, payload);
    return { status: 202, headers: { 'x-amzn-requestid': inv.requestId } };
  }
  const logsBefore = fn.logs.length;
  const tail = (): Record<string, string> => {
    if (String(headers['x-amz-log-type'] ?? '') !== 'Tail') return {};
    // The lines this function printed during the call (the last 4 KB, as Lambda returns them).
    const text = fn.logs.slice(Math.min(logsBefore, fn.logs.length)).map((l) => l.text).join('');
    return { 'x-amz-log-result': Buffer.from(Buffer.from(text).subarray(-4096)).toString('base64') };
  };
  try {
    const result = await fn.invoke(payload);
    return { status: 200, headers: { 'x-amz-executed-version': '$LATEST', ...tail() }, body: JSON.stringify(result ?? null) };
  } catch (err) {
    if (err instanceof LambdaFunctionError && err.errorType === 'Lambda.TooManyRequestsException') {
      throw new LambdaApiError('TooManyRequestsException', 'Rate Exceeded.', 429, { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    }
    const e = err instanceof LambdaFunctionError ? err : new LambdaFunctionError((err as Error)?.name || 'Error', (err as Error)?.message ?? String(err));
    return {
      status: 200, headers: { 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled', ...tail() },
      body: JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace }),
    };
  }
}

export interface EndpointServices {
  readonly queues?: LocalQueues;
  readonly lambda?: LambdaService;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

export class Endpoint {
  private server?: http.Server;
  url = '';

  constructor(private readonly engine: Engine, private readonly bus: LocalBus, private readonly store: LocalStore, private readonly services: EndpointServices = {}) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => { void this.handle(req, res); });
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => { this.server!.once('error', reject); this.server!.listen(port, host, resolve); });
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Serves one request (the HTTP server's, or one a bundled Lambda's SDK hands over in memory). */
  async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // DynamoDB requests go to dynalite's own handler untouched (it reads the body itself).
    if (String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.')) return this.store.handle(req, res);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://local');
    const invoke = INVOKE_PATH.exec(url.pathname);
    if (invoke && req.method === 'POST' && this.services.lambda) return this.handleInvoke(res, decodeURIComponent(invoke[1]), url.searchParams.get('Qualifier') ?? undefined, req.headers, raw);
    const target = String(req.headers['x-amz-target'] ?? '');
    const [service, op] = target.split('.');
    const contentType = service === 'AWSEvents' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
    try {
      const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
      let out: unknown;
      if (service === 'AWSStepFunctions') out = await stepFunctionsApi(this.engine, op, body);
      else if (service === 'AWSEvents') out = eventsApi(this.bus, op, body);
      else if (service === 'AmazonSQS' && this.services.queues) out = await sqsApi(this.services.queues, op, body, this.services.lambda?.account ?? '000000000000');
      else throw new ApiError('UnknownOperationException', `local runtime does not serve ${target || `${req.method} ${url.pathname} (no X-Amz-Target)`}`);
      res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': cryptoId() });
      res.end(JSON.stringify(out));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(err instanceof SyntaxError ? 'SerializationException' : 'InternalFailure', (err as Error).message, err instanceof SyntaxError ? 400 : 500);
      // SQS is query-compatible: the SDK and botocore name the error from x-amzn-query-error.
      const sqs = e instanceof SqsError ? { 'x-amzn-query-error': `${e.queryCode};${e.status >= 500 ? 'Receiver' : 'Sender'}` } : {};
      res.writeHead(e.status, { 'content-type': contentType, 'x-amzn-errortype': e.code, 'x-amzn-requestid': cryptoId(), ...sqs });
      res.end(JSON.stringify({ __type: e.code, message: e.message }));
    }
  }

  private async handleInvoke(res: http.ServerResponse, name: string, qualifier: string | undefined, headers: http.IncomingHttpHeaders, raw: Buffer) {
    try {
      const out = await lambdaInvoke(this.services.lambda!, name, qualifier, headers, raw);
      res.writeHead(out.status, { 'content-type': 'application/json', 'x-amzn-requestid': cryptoId(), ...out.headers });
      res.end(out.body ?? '');
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('ServiceException', (err as Error).message, 500);
      const extra = err instanceof LambdaApiError ? err.extra : {};
      res.writeHead(e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.code, 'x-amzn-requestid': cryptoId() });
      res.end(JSON.stringify({ Type: e.status >= 500 ? 'Service' : 'User', message: e.message, ...extra }));
    }
  }
}

let counter = 0;
function cryptoId() { return `local-${Date.now().toString(36)}-${(counter++).toString(36)}`; }
