/**
 * Lambda asynchronous invocation as AWS does it, executed from a small synthesized fixture app: a
 * bus rule targeting a Lambda (EventBridge invokes asynchronously), retries on the runtime clock,
 * event age, on-failure / on-success destinations and the dead-letter queue, SQS and Lambda Invoke
 * on the endpoint through the SDK clients, `orch redrive`, and refusals at boot. Embedded target only.
 *
 * Expected values come from the Lambda developer guide: "Asynchronous invocation" (two retries,
 * one minute and then two minutes apart) and "Capturing records of Lambda asynchronous invocations"
 * (the invocation record, and the dead-letter message: the event with RequestID / ErrorCode /
 * ErrorMessage attributes); the EventBridge user guide "Using dead-letter queues" (the event as the
 * body, RULE_ARN / TARGET_ARN / ERROR_CODE / ERROR_MESSAGE / RETRY_ATTEMPTS attributes); and the
 * SQS / Lambda API references for the answers on the endpoint.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, Message, PurgeQueueCommand,
  ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { redriveLambdaFailures } from '../../bin/commands/redrive';
import { AsyncInvocation } from '../../local/async-invoke';
import { localClientConfig, LocalRuntime } from '../../local/runtime';
import { synthFixture } from './fixture-app';

const projectDir = path.resolve(__dirname, '..', '..');

const synthesized: string[] = [];
function synthAsyncFixture(build: (stack: Stack) => void, stackName = 'Async'): string {
  const outdir = synthFixture(build, stackName);
  synthesized.push(outdir);
  return outdir;
}

const flagDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-async-flags-'));
const flag = (fn: string) => path.join(flagDir, fn);
const failWhileFlagged = (fn: string) => fs.writeFileSync(flag(fn), 'fail');
const succeed = (fn: string) => fs.rmSync(flag(fn), { force: true });
const fnProps = (id: string): lambda.FunctionProps => ({
  functionName: `Async-${id}`, code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'flaky-fn')), runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', environment: { FLAG_FILE: flag(id) },
});

const cdkOut = synthAsyncFixture((stack) => {
  const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'Async-bus' });
  const queue = (id: string, name: string) => new sqs.Queue(stack, id, { queueName: `Async-${name}` });
  const failures = queue('Failures', 'failures');
  const successes = queue('Successes', 'successes');
  const charge = new lambda.Function(stack, 'ChargeFn', fnProps('ChargeFn'));
  charge.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(failures), onSuccess: new destinations.SqsDestination(successes) });
  new events.Rule(stack, 'ChargeRule', {
    eventBus: bus, eventPattern: { source: ['async.fixture'], detailType: ['ChargeRequested'] }, targets: [new targets.LambdaFunction(charge)],
  });
  new lambda.Function(stack, 'EchoFn', fnProps('EchoFn'));
  const once = new lambda.Function(stack, 'OnceFn', fnProps('OnceFn'));
  once.configureAsyncInvoke({ retryAttempts: 0, onFailure: new destinations.SqsDestination(queue('OnceFailures', 'once-failures')) });
  const aged = new lambda.Function(stack, 'AgedFn', { ...fnProps('AgedFn'), deadLetterQueue: queue('AgedDlq', 'aged-dlq') });
  aged.configureAsyncInvoke({ maxEventAge: Duration.minutes(2), onFailure: new destinations.SqsDestination(queue('AgedFailures', 'aged-failures')) });
  // A target input twice the event's detail: over Step Functions' 256 KB input limit for a large event.
  const sink = new sfn.StateMachine(stack, 'Sink', { stateMachineName: 'Async-sink', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Take')) });
  new events.Rule(stack, 'OversizedRule', {
    eventBus: bus, eventPattern: { source: ['async.fixture'], detailType: ['Oversized'] },
    targets: [new targets.SfnStateMachine(sink, {
      input: events.RuleTargetInput.fromObject({ a: events.EventField.fromPath('$.detail'), b: events.EventField.fromPath('$.detail') }),
      deadLetterQueue: queue('RuleDlq', 'rule-dlq'),
    })],
  });
  queue('Scratch', 'scratch');
  new lambda.Function(stack, 'SoloFn', { ...fnProps('SoloFn'), reservedConcurrentExecutions: 1 });
});

let rt: LocalRuntime;
let sqsClient: SQSClient;
let lambdaClient: LambdaClient;
let eventsClient: EventBridgeClient;
beforeAll(async () => {
  rt = await LocalRuntime.start({ cdkOut, synth: 'never' });
  const cfg = localClientConfig(rt.endpointUrl);
  sqsClient = new SQSClient(cfg);
  lambdaClient = new LambdaClient(cfg);
  eventsClient = new EventBridgeClient(cfg);
});
afterAll(async () => {
  sqsClient?.destroy(); lambdaClient?.destroy(); eventsClient?.destroy();
  await rt?.stop();
  for (const dir of [flagDir, ...synthesized]) fs.rmSync(dir, { recursive: true, force: true });
});

/** Polls (real time, bounded) until the probe returns a value. */
async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what = 'condition'): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${what} not reached`);
}

const receiveAll = async (queueUrl: string) => (await sqsClient.send(new ReceiveMessageCommand({
  QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'],
}))).Messages ?? [];
const deleteAll = (queueUrl: string, messages: Message[]) => Promise.all(messages.map((m) => sqsClient.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }))));
const attributes = async (queueUrl: string) => (await sqsClient.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes!;
/** The runtime-clock times at which a fixture function started calls matching `pick`. */
const callTimes = (fn: string, pick: (event: any) => boolean) => rt.fn(fn).logs.map((l) => JSON.parse(l.text)).filter((l) => pick(l.event)).map((l) => l.at as number);
const asyncOf = (fn: string, pick: (payload: any) => boolean) => until(() => rt.async.invocations.find((i) => i.functionName === rt.fn(fn).def.name && pick(i.payload)), 'accepted invocation');
const failedOnce = (inv: AsyncInvocation, n: number) => until(() => inv.attemptsAt.length === n && (inv.nextAttemptAt !== undefined || inv.status !== 'queued'), `attempt ${n} settled`);

test('a rule target Lambda that keeps failing is retried twice, 1 and then 2 minutes later, then its record lands in the on-failure queue', async () => {
  failWhileFlagged('ChargeFn');
  const fn = rt.fn('ChargeFn');
  const before = fn.invocations;
  const put = await eventsClient.send(new PutEventsCommand({ Entries: [{ EventBusName: 'Async-bus', Source: 'async.fixture', DetailType: 'ChargeRequested', Detail: JSON.stringify({ orderId: 'o-1' }) }] }));
  expect(put.FailedEntryCount).toBe(0);
  const inv = await asyncOf('ChargeFn', (p) => p.detail?.orderId === 'o-1');
  await failedOnce(inv, 1);
  // Not before a minute has passed on the runtime clock.
  await rt.clock.advance(30_000);
  expect(fn.invocations).toBe(before + 1);
  await rt.clock.advance(30_000);
  await failedOnce(inv, 2);
  await rt.clock.advance(60_000);
  expect(fn.invocations).toBe(before + 2);
  await rt.clock.advance(60_000);
  await failedOnce(inv, 3);
  expect(inv).toMatchObject({ status: 'failed', condition: 'RetriesExhausted' });
  // No fourth attempt.
  await rt.clock.advance(10 * 60_000);
  expect(fn.invocations).toBe(before + 3);

  // +60 s and +180 s after the first call (clock time; the upper bounds only absorb a slow machine).
  const [t0, t1, t2] = callTimes('ChargeFn', (e) => e.detail?.orderId === 'o-1');
  expect(t1 - t0).toBeGreaterThanOrEqual(60_000);
  expect(t1 - t0).toBeLessThan(90_000);
  expect(t2 - t1).toBeGreaterThanOrEqual(120_000);
  expect(t2 - t1).toBeLessThan(150_000);

  const url = rt.queueUrl('Failures');
  const messages = await receiveAll(url);
  expect(messages).toHaveLength(1);
  expect(JSON.parse(messages[0].Body!)).toEqual({
    version: '1.0',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    requestContext: { requestId: inv.requestId, functionArn: `${fn.def.arn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: expect.objectContaining({ id: put.Entries![0].EventId, source: 'async.fixture', 'detail-type': 'ChargeRequested', detail: { orderId: 'o-1' } }),
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'PaymentDeclined', errorMessage: expect.stringContaining('declined while'), trace: expect.any(Array) },
  });
  expect(rt.asyncFailures).toContainEqual(expect.objectContaining({ requestId: inv.requestId, condition: 'RetriesExhausted', error: expect.stringMatching(/^PaymentDeclined: /) }));
  expect(rt.queues.peek('Async-successes')).toHaveLength(0);
  await deleteAll(url, messages);
  succeed('ChargeFn');
});

test('a rule target Lambda that succeeds sends its record to the on-success queue', async () => {
  await eventsClient.send(new PutEventsCommand({ Entries: [{ EventBusName: 'Async-bus', Source: 'async.fixture', DetailType: 'ChargeRequested', Detail: JSON.stringify({ orderId: 'o-2' }) }] }));
  const url = rt.queueUrl('Successes');
  const [m] = await until(async () => { const got = await receiveAll(url); return got.length ? got : undefined; }, 'success record');
  const record = JSON.parse(m.Body!);
  expect(record).toMatchObject({
    version: '1.0', requestContext: { condition: 'Success', approximateInvokeCount: 1, functionArn: `${rt.fn('ChargeFn').def.arn}:$LATEST` },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload: { ok: true, echo: expect.objectContaining({ detail: { orderId: 'o-2' } }) },
  });
  expect(record.responseContext.functionError).toBeUndefined();
  await deleteAll(url, [m]);
});

test('Lambda Invoke RequestResponse answers the result, and a function error as 200 with X-Amz-Function-Error: Unhandled', async () => {
  const fn = rt.fn('EchoFn');
  const payload = (r: { Payload?: Uint8Array }) => JSON.parse(Buffer.from(r.Payload!).toString('utf8'));
  const ok = await lambdaClient.send(new InvokeCommand({ FunctionName: fn.def.name, Payload: Buffer.from(JSON.stringify({ n: 1 })), LogType: 'Tail' }));
  expect(ok).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
  expect(ok.FunctionError).toBeUndefined();
  expect(payload(ok)).toEqual({ ok: true, echo: { n: 1 } });
  expect(Buffer.from(ok.LogResult!, 'base64').toString('utf8')).toContain('"event":{"n":1}');
  // By ARN, qualified with $LATEST, as the redrive does.
  const byArn = await lambdaClient.send(new InvokeCommand({ FunctionName: `${fn.def.arn}:$LATEST`, Payload: Buffer.from('{"n":2}') }));
  expect(payload(byArn)).toEqual({ ok: true, echo: { n: 2 } });

  failWhileFlagged('EchoFn');
  const failed = await lambdaClient.send(new InvokeCommand({ FunctionName: fn.def.arn, Payload: Buffer.from('{"n":3}') }));
  succeed('EchoFn');
  expect(failed).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
  expect(payload(failed)).toEqual({ errorType: 'PaymentDeclined', errorMessage: expect.stringContaining('declined while'), trace: expect.any(Array) });

  await expect(lambdaClient.send(new InvokeCommand({ FunctionName: 'Async-NoSuchFn' }))).rejects.toMatchObject({
    name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 }, message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:Async-NoSuchFn',
  });
  await expect(lambdaClient.send(new InvokeCommand({ FunctionName: fn.def.name, Payload: Buffer.from('{not json') }))).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
});

test('Lambda Invoke Event answers 202; with MaximumRetryAttempts 0 a failure goes to the destination after one invocation', async () => {
  failWhileFlagged('OnceFn');
  const fn = rt.fn('OnceFn');
  const before = fn.invocations;
  const r = await lambdaClient.send(new InvokeCommand({ FunctionName: fn.def.name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ job: 'once' })) }));
  expect(r.StatusCode).toBe(202);
  const url = rt.queueUrl('OnceFailures');
  await until(() => rt.queues.peek(url).length === 1, 'once record');
  await rt.clock.advance(10 * 60_000);
  expect(fn.invocations).toBe(before + 1);
  const messages = await receiveAll(url);
  expect(messages).toHaveLength(1);
  expect(JSON.parse(messages[0].Body!)).toMatchObject({
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 }, requestPayload: { job: 'once' },
    responseContext: { functionError: 'Unhandled' }, responsePayload: { errorType: 'PaymentDeclined' },
  });
  await deleteAll(url, messages);
  succeed('OnceFn');
});

test('an event too old for its next retry goes to the destination as EventAgeExceeded, and to the dead-letter queue as the bare event', async () => {
  failWhileFlagged('AgedFn');
  const inv = rt.invokeAsync('AgedFn', { job: 'aged' });
  await failedOnce(inv, 1);
  await rt.clock.advance(60_000);
  await failedOnce(inv, 2);
  // The second retry is due 2 minutes later: the event is then older than MaximumEventAge (2 min).
  await rt.clock.advance(120_000);
  await until(() => inv.status === 'failed', 'aged settled');
  expect(inv).toMatchObject({ condition: 'EventAgeExceeded', attemptsAt: [expect.any(Number), expect.any(Number)] });

  const [record] = await receiveAll(rt.queueUrl('AgedFailures'));
  expect(JSON.parse(record.Body!)).toMatchObject({
    requestContext: { requestId: inv.requestId, condition: 'EventAgeExceeded', approximateInvokeCount: 2 }, requestPayload: { job: 'aged' },
    responsePayload: { errorType: 'PaymentDeclined' },
  });
  const [dead] = await receiveAll(rt.queueUrl('AgedDlq'));
  expect(JSON.parse(dead.Body!)).toEqual({ job: 'aged' });
  expect(dead.MessageAttributes).toEqual({
    RequestID: { DataType: 'String', StringValue: inv.requestId },
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ErrorMessage: { DataType: 'String', StringValue: expect.stringContaining('declined while') },
  });
  expect(dead.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  succeed('AgedFn');
});

test('a throttled asynchronous attempt goes back to the queue with backoff and is not counted as an attempt', async () => {
  const fn = rt.fn('SoloFn');
  const throttlesBefore = fn.throttles;
  // The first event holds the function's only slot for 2 s of clock time (within its 3 s timeout).
  rt.faults.inject({ target: { function: 'SoloFn' }, latencyMs: 2_000, times: 1 });
  const first = rt.invokeAsync('SoloFn', { n: 1 });
  await until(() => fn.inFlight === 1, 'first in flight');
  const second = rt.invokeAsync('SoloFn', { n: 2 });
  await until(() => second.throttles === 1 && second.nextAttemptAt !== undefined, 'throttled');
  // Backoff: 1 s, then 2 s.
  await rt.clock.advance(1_000);
  await until(() => second.throttles === 2 && second.nextAttemptAt !== undefined, 'throttled again');
  await rt.clock.advance(1_000);
  await until(() => first.status === 'succeeded', 'slot released');
  expect(second.status).toBe('queued');
  await rt.clock.advance(2_000);
  await until(() => second.status !== 'queued', 'second settled');
  expect(second).toMatchObject({ status: 'succeeded', condition: 'Success', attemptsAt: [expect.any(Number)], result: { ok: true, echo: { n: 2 } } });
  expect(second.throttles).toBeGreaterThanOrEqual(2);
  expect(fn.throttles - throttlesBefore).toBe(second.throttles);
});

test('a rule target that cannot be delivered lands in its dead-letter queue as EventBridge writes it', async () => {
  const put = await eventsClient.send(new PutEventsCommand({ Entries: [{ EventBusName: 'Async-bus', Source: 'async.fixture', DetailType: 'Oversized', Detail: JSON.stringify({ blob: 'x'.repeat(150_000) }) }] }));
  expect(put.FailedEntryCount).toBe(0);
  const url = rt.queueUrl('RuleDlq');
  const [m] = await until(async () => { const got = await receiveAll(url); return got.length ? got : undefined; }, 'rule dead letter');
  const event = JSON.parse(m.Body!);
  expect(event).toMatchObject({ id: put.Entries![0].EventId, source: 'async.fixture', 'detail-type': 'Oversized' });
  const rule = rt.model.rules.find((r) => r.logicalId.startsWith('OversizedRule'))!;
  const attr = (name: string) => m.MessageAttributes?.[name]?.StringValue;
  expect(attr('RULE_ARN')).toBe(rule.arn);
  expect(attr('TARGET_ARN')).toBe(rt.stateMachineArn('Async-sink'));
  expect(attr('ERROR_CODE')).toBe('SDK_CLIENT_ERROR');
  expect(attr('ERROR_MESSAGE')).toContain('InvalidExecutionInput');
  expect(attr('RETRY_ATTEMPTS')).toBe('0');
  expect(rt.bus.queues).toBe(rt.queues);
  await deleteAll(url, [m]);
});

test('SQS on the endpoint: send, receive with a visibility timeout on the runtime clock, delete, purge', async () => {
  const url = (await sqsClient.send(new GetQueueUrlCommand({ QueueName: 'Async-scratch' }))).QueueUrl!;
  expect(url).toBe(rt.queueUrl('Scratch'));
  expect((await sqsClient.send(new ListQueuesCommand({ QueueNamePrefix: 'Async-s' }))).QueueUrls?.sort()).toEqual([rt.queueUrl('Scratch'), rt.queueUrl('Successes')].sort());
  const sent = await sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }));
  expect(sent.MessageId).toBeDefined();
  expect((await attributes(url)).ApproximateNumberOfMessages).toBe('1');

  const [first] = (await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 30, MessageAttributeNames: ['kind'] }))).Messages!;
  expect(first).toMatchObject({ MessageId: sent.MessageId, Body: 'hello', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } });
  expect(first.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  expect((await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
  expect(await attributes(url)).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '1' });
  await rt.clock.advance(30_000);
  const [again] = (await sqsClient.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages!;
  expect(again).toMatchObject({ MessageId: sent.MessageId, Attributes: { ApproximateReceiveCount: '2' } });
  await sqsClient.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle, VisibilityTimeout: 0 }));
  expect((await attributes(url)).ApproximateNumberOfMessages).toBe('1');
  await sqsClient.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.ReceiptHandle }));
  expect((await attributes(url)).ApproximateNumberOfMessages).toBe('0');

  await sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
  await sqsClient.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'two' }));
  await sqsClient.send(new PurgeQueueCommand({ QueueUrl: url }));
  expect((await attributes(url)).ApproximateNumberOfMessages).toBe('0');
  await expect(sqsClient.send(new PurgeQueueCommand({ QueueUrl: url }))).rejects.toMatchObject({ name: 'PurgeQueueInProgress', $metadata: { httpStatusCode: 403 } });
});

test('SQS errors are AWS-shaped', async () => {
  const missing = `${rt.endpointUrl}/000000000000/Async-nope`;
  const nonExistent = { name: 'QueueDoesNotExist', Code: 'AWS.SimpleQueueService.NonExistentQueue', $fault: 'client', $metadata: { httpStatusCode: 400 } };
  await expect(sqsClient.send(new ReceiveMessageCommand({ QueueUrl: missing }))).rejects.toMatchObject(nonExistent);
  await expect(sqsClient.send(new GetQueueUrlCommand({ QueueName: 'Async-nope' }))).rejects.toMatchObject(nonExistent);
  await expect(sqsClient.send(new ReceiveMessageCommand({ QueueUrl: rt.queueUrl('Scratch'), MaxNumberOfMessages: 11 }))).rejects.toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
  await expect(sqsClient.send(new DeleteMessageCommand({ QueueUrl: rt.queueUrl('Scratch'), ReceiptHandle: 'bogus' }))).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
});

test('redrive re-invokes each record\'s function with its payload, deleting a message only when the call succeeded', async () => {
  failWhileFlagged('OnceFn');
  const url = rt.queueUrl('OnceFailures');
  for (const n of [1, 2]) await lambdaClient.send(new InvokeCommand({ FunctionName: 'Async-OnceFn', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ redrive: n })) }));
  await until(() => rt.queues.peek(url).length === 2, 'two records');
  const clients = { sqs: sqsClient, lambda: lambdaClient };
  const lines: string[] = [];

  const stillFailing = await redriveLambdaFailures(clients, url, { max: 1, out: (l) => lines.push(l) });
  expect(stillFailing).toEqual([expect.objectContaining({ outcome: 'failing', functionArn: `${rt.fn('OnceFn').def.arn}:$LATEST`, error: expect.stringMatching(/^PaymentDeclined: /) })]);
  expect(lines).toEqual([expect.stringMatching(/^failing /)]);
  // Kept, and visible again for the next run.
  expect((await attributes(url)).ApproximateNumberOfMessages).toBe('2');

  succeed('OnceFn');
  const redriven = await redriveLambdaFailures(clients, url, { out: () => undefined });
  expect(redriven.map((r) => r.outcome)).toEqual(['redriven', 'redriven']);
  expect(rt.queues.peek(url)).toHaveLength(0);
  // The function ran again with each original payload: once from the event, once per redrive run that reached it.
  expect([callTimes('OnceFn', (e) => e.redrive === 1).length, callTimes('OnceFn', (e) => e.redrive === 2).length].sort()).toEqual([2, 3]);
});

test('orch redrive prints one line per message and exits 1 while a record still fails', async () => {
  failWhileFlagged('OnceFn');
  await lambdaClient.send(new InvokeCommand({ FunctionName: 'Async-OnceFn', InvocationType: 'Event', Payload: Buffer.from('{"cli":1}') }));
  await until(() => rt.queues.peek('Async-once-failures').length === 1, 'cli record');
  const orch = (...args: string[]) => new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(path.join(projectDir, 'node_modules', '.bin', 'tsx'), ['bin/orch.ts', 'redrive', ...args, '--endpoint', rt.endpointUrl], { cwd: projectDir, env: { ...process.env, AWS_REGION: 'us-east-1' } },
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }));
  });
  const failing = await orch('--queue', 'Async-once-failures');
  expect(failing.code).toBe(1);
  expect(failing.stdout).toMatch(/^failing +\S+ +arn:aws:lambda:\S+:function:Async-OnceFn:\$LATEST +PaymentDeclined: /m);
  expect(failing.stdout).toContain('0 redriven, 1 still failing, 0 skipped');
  succeed('OnceFn');
  const ok = await orch('--queue', rt.queueUrl('OnceFailures'));
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/^redriven +\S+ +arn:aws:lambda:\S+:function:Async-OnceFn:\$LATEST$/m);
  expect(rt.queues.peek('Async-once-failures')).toHaveLength(0);
});

test.each<[string, (stack: Stack) => lambda.IDestination, string]>([
  ['an SNS topic', (stack) => new destinations.SnsDestination(new sns.Topic(stack, 'Topic')), 'an SNS topic'],
  ['a Lambda function', (stack) => new destinations.LambdaDestination(new lambda.Function(stack, 'Handler', fnProps('Handler'))), 'a Lambda function'],
  ['an event bus', (stack) => new destinations.EventBridgeDestination(new events.EventBus(stack, 'Other')), 'an EventBridge event bus'],
])('boot refuses %s as an on-failure destination, naming the function', async (_kind, destination, refused) => {
  const out = synthAsyncFixture((stack) => {
    new lambda.Function(stack, 'RefusedFn', { ...fnProps('RefusedFn'), functionName: 'Refuse-RefusedFn', onFailure: destination(stack) });
  }, 'Refuse');
  await expect(LocalRuntime.start({ cdkOut: out, synth: 'never' })).rejects.toThrow(
    new RegExp(`local runtime cannot run ${refused} as the on-failure destination of asynchronous invocations faithfully \\(function Refuse-RefusedFn, Refuse/RefusedFn/EventInvokeConfig`),
  );
});
