import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { transformInput, BusEvent } from '../../local/bus';
import { Clock } from '../../local/clock';
import { UnsupportedFeatureError } from '../../local/errors';
import { FaultInjector } from '../../local/faults';
import { LambdaFunctionError, LocalFunction } from '../../local/functions';
import { Execution, TaskRequest, TokenRegistry } from '../../local/interpreter/executor';
import { refuseUnsupported } from '../../local/refusals';
import { SharedExclusiveLock } from '../../local/store';
import { IntrinsicResolver } from '../../local/template';

describe('intrinsic resolver', () => {
  const template = {
    Parameters: { Stage: { Default: 'dev' } },
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Named: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'explicit' } },
      Sm: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'S-pipeline' } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'S-bus' } },
      Q: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
  };
  const r = new IntrinsicResolver(template as never, 'S', 'eu-west-1', '000000000000');
  test.each<[string, unknown, unknown]>([
    ['Ref to a function is its name', { Ref: 'Fn' }, 'S-Fn'],
    ['explicit names win', { Ref: 'Named' }, 'explicit'],
    ['GetAtt Arn', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'arn:aws:lambda:eu-west-1:000000000000:function:S-Fn'],
    ['Ref to a state machine is its ARN', { Ref: 'Sm' }, 'arn:aws:states:eu-west-1:000000000000:stateMachine:S-pipeline'],
    ['GetAtt Name', { 'Fn::GetAtt': ['Sm', 'Name'] }, 'S-pipeline'],
    ['table', { 'Fn::GetAtt': ['Table', 'Arn'] }, 'arn:aws:dynamodb:eu-west-1:000000000000:table/S-Table'],
    ['bus', { 'Fn::GetAtt': ['Bus', 'Arn'] }, 'arn:aws:events:eu-west-1:000000000000:event-bus/S-bus'],
    ['queue Ref is its URL', { Ref: 'Q' }, 'http://sqs.eu-west-1.localhost/000000000000/S-Q'],
    ['pseudo parameters', { 'Fn::Join': [':', [{ Ref: 'AWS::Partition' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]] }, 'aws:eu-west-1:000000000000'],
    ['parameter default', { Ref: 'Stage' }, 'dev'],
    ['Select + Split (as CDK renders execution ARNs)', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: 'Sm' }] }] }, 'S-pipeline'],
    ['Sub with GetAtt and variables', { 'Fn::Sub': ['${Fn.Arn}/${X}/${AWS::Region}', { X: 'y' }] }, 'arn:aws:lambda:eu-west-1:000000000000:function:S-Fn/y/eu-west-1'],
    ['nested objects resolve deeply', { a: [{ Ref: 'Bus' }] }, { a: ['S-bus'] }],
  ])('%s', (_n, input, expected) => expect(r.resolve(input as never)).toEqual(expected));
  test('refuses what it cannot resolve faithfully, naming it', () => {
    expect(() => r.resolve({ 'Fn::ImportValue': 'x' } as never, 'S/Res')).toThrow(UnsupportedFeatureError);
    expect(() => r.resolve({ Ref: 'Missing' } as never, 'S/Res')).toThrow('Ref to Missing faithfully (S/Res)');
    expect(() => r.resolve({ 'Fn::GetAtt': ['Fn', 'Nope'] } as never)).toThrow('Fn::GetAtt Fn.Nope');
  });
});

describe('EventBridge target input', () => {
  const event: BusEvent = { version: '0', id: 'id-1', 'detail-type': 'T', source: 's', account: '1', time: '2026-01-01T00:00:00Z', region: 'r', resources: [], detail: { runId: 'r1', n: 3, q: 'say "hi"' } };
  test('whole event, Input, InputPath', () => {
    expect(transformInput({}, event)).toBe(event);
    expect(transformInput({ input: '{"fixed":1}' }, event)).toEqual({ fixed: 1 });
    expect(transformInput({ inputPath: '$.detail.runId' }, event)).toBe('r1');
  });
  test('InputTransformer: JSON values outside quotes, raw text inside quotes', () => {
    const out = transformInput({ inputTransformer: { InputPathsMap: { d: '$.detail', id: '$.id', n: '$.detail.n', q: '$.detail.q' }, InputTemplate: '{"request":<d>,"eventId":<id>,"label":"run <id> n=<n>","q":"<q>"}' } }, event);
    expect(out).toEqual({ request: event.detail, eventId: 'id-1', label: 'run id-1 n=3', q: 'say "hi"' });
  });
  test('a string template stays a string; a missing path is null', () => {
    expect(transformInput({ inputTransformer: { InputPathsMap: { s: '$.source' }, InputTemplate: '"source is <s>"' } }, event)).toBe('source is s');
    expect(transformInput({ inputTransformer: { InputPathsMap: { m: '$.detail.missing' }, InputTemplate: '{"m":<m>}' } }, event)).toEqual({ m: null });
  });
});

describe('clock and interpreter', () => {
  const info = { executionArn: 'arn:aws:states:us-east-1:0:execution:sm:exec-1', name: 'exec-1', stateMachineArn: 'arn:aws:states:us-east-1:0:stateMachine:sm', stateMachineName: 'sm', roleArn: 'arn:aws:iam::0:role/r', startTime: Date.parse('2026-01-01T00:00:00.000Z') };
  const echo = { invoke: async (r: TaskRequest) => r.parameters };
  const execute = (clock: Clock, definition: Record<string, unknown>, input: unknown) =>
    new Execution({ definition, input, clock, services: echo, tokens: new TokenRegistry(), region: 'us-east-1', execution: info }).start();
  test('a one-hour Wait state completes when the runtime clock is advanced, and $$.Execution survives Parallel', async () => {
    const clock = new Clock();
    const run = execute(clock, { StartAt: 'Hold', States: {
      Hold: { Type: 'Wait', Seconds: 3600, Next: 'Fan' },
      Fan: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Echo', States: { Echo: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'input.$': '$$.Execution.Input', 'name.$': '$$.Execution.Name', 'now.$': '$$.Execution.StartTime' }, End: true } } }] },
    } }, { a: 1 });
    let done = false;
    void run.done.then(() => { done = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    const before = clock.now();
    await clock.advance(3600_000);
    const outcome = await run.done;
    expect(outcome.status === 'SUCCEEDED' && JSON.parse(outcome.output)).toEqual([{ input: { a: 1 }, name: 'exec-1', now: '2026-01-01T00:00:00.000Z' }]);
    expect(clock.now() - before).toBeGreaterThanOrEqual(3600_000);
    expect(run.history.slice(0, 3).map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited']);
    clock.dispose();
  });
  test('$$.State.Name and EnteredTime follow the runtime clock, type tests with false match, and a falsy Pass Result is output', async () => {
    const clock = new Clock();
    const stamp = { 'name.$': '$$.State.Name', 'at.$': '$$.State.EnteredTime' };
    const run = execute(clock, { StartAt: 'First', States: {
      First: { Type: 'Pass', Parameters: stamp, ResultPath: '$.first', Next: 'Hold' },
      Hold: { Type: 'Wait', Seconds: 60, Next: 'Second' },
      Second: { Type: 'Pass', Parameters: stamp, ResultPath: '$.second', Next: 'Route' },
      Route: { Type: 'Choice', Choices: [{ Variable: '$.missing', IsPresent: false, Next: 'Falsy' }], Default: 'Wrong' },
      Falsy: { Type: 'Pass', Result: false, ResultPath: '$.flag', Next: 'Types' },
      Types: { Type: 'Choice', Choices: [{ And: [
        { Variable: '$.flag', IsString: false }, { Variable: '$.flag', IsNull: false }, { Variable: '$.flag', IsNumeric: false },
        { Variable: '$.flag', IsTimestamp: false }, { Variable: '$.first.name', IsBoolean: false }, { Variable: '$.flag', IsBoolean: true },
      ], Next: 'Done' }], Default: 'Wrong' },
      Wrong: { Type: 'Fail', Error: 'Wrong' },
      Done: { Type: 'Succeed' },
    } }, {});
    await new Promise((r) => setTimeout(r, 20));
    await clock.advance(60_000);
    const outcome = await run.done;
    const out = (outcome.status === 'SUCCEEDED' ? JSON.parse(outcome.output) : outcome) as { first: { name: string; at: string }; second: { name: string; at: string }; flag: unknown };
    expect([out.first.name, out.second.name]).toEqual(['First', 'Second']);
    expect(Date.parse(out.second.at) - Date.parse(out.first.at)).toBeGreaterThanOrEqual(60_000);
    expect(out.flag).toBe(false);
    clock.dispose();
  });
  test('Date inside the clock follows advance()', async () => {
    const clock = new Clock();
    const t0 = new clock.Date().getTime();
    await clock.advance(86_400_000);
    expect(new clock.Date().getTime() - t0).toBeGreaterThanOrEqual(86_400_000);
    expect(clock.Date.now() - t0).toBeGreaterThanOrEqual(86_400_000);
    expect(new clock.Date(0).getTime()).toBe(0);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});

describe('refusals at boot', () => {
  const task = (extra: Record<string, unknown>) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...extra } } });
  const served = (base: string) => (base === 'arn:aws:states:::lambda:invoke' ? undefined : `the Task resource ${base}`);
  test.each<[string, Record<string, unknown>, string]>([
    ['an unknown resource', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }, 'the Task resource arn:aws:states:::sqs:sendMessage faithfully (state machine sm, state T)'],
    ['an S3 item reader', { StartAt: 'M', States: { M: { Type: 'Map', End: true, ItemReader: { Resource: 'arn:aws:states:::s3:getObject' }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } } } }, 'ItemReader (items read from S3) faithfully (state machine sm, state M)'],
    ['a nested refusal names the inner state', { StartAt: 'Par', States: { Par: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Q', States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } } }] } } }, 'state Q'],
  ])('refuses %s, naming the machine and state', (_n, def, message) => {
    expect(() => refuseUnsupported(def, 'sm', served)).toThrow(UnsupportedFeatureError);
    expect(() => refuseUnsupported(def, 'sm', served)).toThrow(message);
  });
  test('JSONata, variables, heartbeats, Credentials and $$.State.RetryCount are run, not refused', () => {
    expect(() => refuseUnsupported(task({ QueryLanguage: 'JSONata', Assign: { x: 1 }, HeartbeatSeconds: 10, Credentials: { RoleArn: 'arn:aws:iam::1:role/x' }, Parameters: { 'n.$': '$$.State.RetryCount' } }), 'sm', served)).not.toThrow();
  });
});

describe('local functions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-fn-'));
  fs.writeFileSync(path.join(dir, 'index.js'), `
    exports.handler = async (event, context) => {
      if (event.fail) { const e = new Error('bad thing'); e.name = 'ValidationError'; throw e; }
      if (event.hang) return new Promise(() => {});
      console.log(JSON.stringify({ msg: 'hello' }));
      return { table: process.env.STATE_TABLE, region: process.env.AWS_REGION, now: Date.now(), remaining: context.getRemainingTimeInMillis() > 0 };
    };`);
  const def = (name: string, env: Record<string, string>) => ({ logicalId: name, name, arn: `arn:aws:lambda:us-east-1:0:function:${name}`, cdkPath: `S/${name}/Resource`, assetDir: dir, handler: 'index.handler', runtime: 'nodejs24.x', timeoutSeconds: 3, memorySize: 128, environment: env, logGroupName: '/l' });
  const clock = new Clock();
  const faults = new FaultInjector();
  const a = new LocalFunction({ def: def('A', {}), environment: () => ({ STATE_TABLE: 'table-a', AWS_REGION: 'eu-west-1' }), clock, faults });
  const b = new LocalFunction({ def: def('B', {}), environment: () => ({ STATE_TABLE: 'table-b', AWS_REGION: 'eu-west-1' }), clock, faults });

  test('each function sees its own environment, the runtime clock and captured logs', async () => {
    await clock.advance(10_000);
    const [ra, rb] = await Promise.all([a.invoke({}), b.invoke({})]) as { table: string; now: number }[];
    expect(ra.table).toBe('table-a');
    expect(rb.table).toBe('table-b');
    expect(process.env.STATE_TABLE).toBeUndefined();
    expect(ra.now).toBeGreaterThanOrEqual(Date.now() + 9_000);
    expect(a.logs.map((l) => l.text.trim())).toEqual(['{"msg":"hello"}']);
    expect(a.invocations).toBe(1);
  });
  test('errors are Lambda-shaped', async () => {
    const err = await a.invoke({ fail: true }).catch((e) => e) as LambdaFunctionError;
    expect(err).toBeInstanceOf(LambdaFunctionError);
    expect(err.errorType).toBe('ValidationError');
    expect(JSON.parse(err.cause)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'bad thing' });
  });
  test('the function timeout is honoured on the runtime clock', async () => {
    const pending = a.invoke({ hang: true }).catch((e) => e);
    await clock.advance(3_000);
    const err = await pending as LambdaFunctionError;
    expect(err.errorType).toBe('Sandbox.Timedout');
    expect(err.errorMessage).toMatch(/Task timed out after 3.00 seconds/);
  });
  test('an injected latency holds the call until the clock passes it', async () => {
    const f = faults.inject({ target: { function: 'A' }, latencyMs: 2_000, times: 1 });
    let settled = false;
    const pending = a.invoke({}).then((r) => { settled = true; return r; });
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    await clock.advance(2_000);
    await expect(pending).resolves.toMatchObject({ table: 'table-a' });
    expect(f.hits).toBe(1);
  });
  test('an injected timeout makes the function time out after its own timeout', async () => {
    faults.inject({ target: { function: 'A' }, timeout: true, times: 1 });
    const pending = a.invoke({}).catch((e) => e);
    await clock.advance(3_000);
    expect(await pending).toMatchObject({ errorType: 'Sandbox.Timedout' });
    await expect(a.invoke({})).resolves.toMatchObject({ table: 'table-a' });
  });
  test('a fault with phase after lets the handler run, then replaces, delays or loses its answer', async () => {
    const logged = () => a.logs.length;
    let before = logged();
    faults.inject({ target: { function: 'A' }, phase: 'after', error: { name: 'AnswerLost', message: 'reset' }, times: 1 });
    await expect(a.invoke({})).rejects.toMatchObject({ errorType: 'AnswerLost', errorMessage: 'reset' });
    expect(logged()).toBe(before + 1); // the handler ran
    faults.inject({ target: { function: 'A' }, phase: 'after', latencyMs: 2_000, times: 1 });
    before = logged();
    let settled = false;
    const slow = a.invoke({}).then((r) => { settled = true; return r; });
    await new Promise((r) => setTimeout(r, 20));
    expect([logged() - before, settled]).toEqual([1, false]);
    await clock.advance(2_000);
    await expect(slow).resolves.toMatchObject({ table: 'table-a' });
    faults.inject({ target: { function: 'A' }, phase: 'after', timeout: true, times: 1 });
    before = logged();
    const lost = a.invoke({}).catch((e) => e);
    await new Promise((r) => setTimeout(r, 20));
    expect(logged()).toBe(before + 1);
    await clock.advance(3_000);
    expect(await lost).toMatchObject({ errorType: 'Sandbox.Timedout' });
  });
  test('injected faults throw N times, then stop', async () => {
    const f = faults.inject({ target: { function: 'B' }, error: { name: 'TransientError' }, times: 2 });
    await expect(b.invoke({})).rejects.toMatchObject({ errorType: 'TransientError' });
    await expect(b.invoke({})).rejects.toMatchObject({ errorType: 'TransientError' });
    await expect(b.invoke({})).resolves.toMatchObject({ table: 'table-b' });
    expect(f.hits).toBe(2);
    expect(() => faults.inject({ target: {}, error: { name: 'X' } })).toThrow('needs a function or a state');
  });
});

describe('store lock', () => {
  const tick = () => new Promise((r) => setImmediate(r));
  test('shared holders run together; an exclusive one waits for them, and later shared ones wait for it', async () => {
    const lock = new SharedExclusiveLock();
    const order: string[] = [];
    const r1 = await lock.acquire(false);
    const r2 = await lock.acquire(false);
    const exclusive = lock.acquire(true).then((release) => { order.push('exclusive'); return release; });
    const late = lock.acquire(false).then((release) => { order.push('late shared'); return release; });
    await tick();
    expect(order).toEqual([]);
    r1();
    await tick();
    expect(order).toEqual([]);
    r2();
    await tick();
    expect(order).toEqual(['exclusive']);
    (await exclusive)();
    await tick();
    expect(order).toEqual(['exclusive', 'late shared']);
    (await late)();
  });
  test('run releases on error, and a release twice is harmless', async () => {
    const lock = new SharedExclusiveLock();
    await expect(lock.run(true, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    const release = await lock.acquire(false);
    release();
    release();
    await expect(lock.run(true, async () => 'ok')).resolves.toBe('ok');
  });
});

describe('a frozen clock', () => {
  test('stands still while real time passes, moves only by advance, fires its timers then, and thaws from where it stands', async () => {
    const clock = new Clock();
    clock.freeze();
    const at = clock.now();
    let fired = 0;
    clock.setTimeout(() => { fired++; }, 50);
    await new Promise((r) => setTimeout(r, 80)); // real time passes
    expect(clock.now()).toBe(at);
    expect(fired).toBe(0);
    await clock.advance(50);
    expect(clock.now()).toBe(at + 50);
    expect(fired).toBe(1);
    clock.thaw();
    expect(clock.now()).toBeGreaterThanOrEqual(at + 50);
    clock.dispose();
  });
});
