/**
 * `worstCase` and `retryDelaySeconds` on hand-written ASL. The expected values come from the ASL
 * specification (https://states-language.net/spec.html), "Retrying after error":
 *   - IntervalSeconds: seconds before the first retry, default 1;
 *   - MaxAttempts: retries at most, default 3; 0 means never retried;
 *   - BackoffRate: the multiplier of the interval on each attempt, default 2.0;
 *   - MaxDelaySeconds: the most an interval can grow to (caps each interval).
 * So the n-th retry (n from 0) waits min(IntervalSeconds x BackoffRate^n, MaxDelaySeconds), and a
 * Task whose every attempt runs to its timeout lasts timeout x (1 + sum of MaxAttempts) + the delays.
 * Full jitter (JitterStrategy FULL) only shortens a delay, so the worst case ignores it.
 */
import { AslGraph, longestAttempt, retryDelaySeconds, worstCase } from '../../lib/patterns/worst-case';

/** Hand-written ASL, with the fields the spec requires (ErrorEquals, Variable, ...) that worstCase ignores. */
const asl = (definition: object) => definition as AslGraph;
const noLambdas = () => undefined;
const DDB_GET = 'arn:aws:states:::dynamodb:getItem';

describe('retryDelaySeconds', () => {
  test('the spec defaults: 3 retries after 1 s, 2 s and 4 s', () => {
    // IntervalSeconds 1, BackoffRate 2.0, MaxAttempts 3: 1x2^0 + 1x2^1 + 1x2^2 = 1 + 2 + 4 = 7
    expect(retryDelaySeconds({})).toBe(7);
  });
  test('MaxDelaySeconds caps each interval, not the total', () => {
    // IntervalSeconds 10, BackoffRate 3, MaxAttempts 4, MaxDelaySeconds 50:
    // 10, 30, min(90, 50) = 50, min(270, 50) = 50 -> 140
    expect(retryDelaySeconds({ IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 50 })).toBe(140);
    // The transient preset (1 s x2, at most 30 s, 3 retries) is under its cap: 1 + 2 + 4 = 7
    expect(retryDelaySeconds({ IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 30 })).toBe(7);
  });
  test('a BackoffRate of 1 keeps the interval; a fractional one is kept exact', () => {
    // 5 + 5 + 5 = 15;  2 + 2x1.5 + 2x1.5^2 = 2 + 3 + 4.5 = 9.5
    expect(retryDelaySeconds({ IntervalSeconds: 5, BackoffRate: 1 })).toBe(15);
    expect(retryDelaySeconds({ IntervalSeconds: 2, BackoffRate: 1.5 })).toBe(9.5);
  });
  test('MaxAttempts 0 (never retried) adds no delay', () => {
    expect(retryDelaySeconds({ MaxAttempts: 0, IntervalSeconds: 5 })).toBe(0);
  });
});

describe('worstCase: tasks and retries', () => {
  test('a task with the default retrier runs 4 attempts to its timeout, plus 7 s of delays', () => {
    const g = asl({ StartAt: 'Get', States: { Get: { Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 10, Retry: [{ ErrorEquals: ['States.ALL'] }], End: true } } });
    // 10 x (1 + 3) + (1 + 2 + 4) = 40 + 7 = 47
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 47 });
  });
  test('a task without a retrier runs once', () => {
    const g = asl({ StartAt: 'Get', States: { Get: { Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 10, End: true } } });
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 10 });
  });
  test('MaxDelaySeconds caps the delays of a task\'s retries', () => {
    const g = asl({ StartAt: 'Get', States: { Get: {
      Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 20, End: true,
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 50 }],
    } } });
    // 20 x (1 + 4) + (10 + 30 + 50 + 50) = 100 + 140 = 240 (uncapped it would be 100 + 400 = 500)
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 240 });
  });
  test('two retriers on one task are both exhaustible: their attempts and delays add up', () => {
    // Each retrier counts its own attempts, so a task failing first with one error and then with the
    // other can use up both: timeouts twice (first retrier), then any other error three times.
    const g = asl({ StartAt: 'Get', States: { Get: {
      Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 30, End: true,
      Retry: [
        { ErrorEquals: ['States.Timeout'], IntervalSeconds: 5, MaxAttempts: 2 }, // 5 + 10 = 15
        { ErrorEquals: ['States.ALL'], BackoffRate: 1 }, //                         1 + 1 + 1 = 3
      ],
    } } });
    // 30 x (1 + 2 + 3) + 15 + 3 = 180 + 18 = 198
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 198 });
  });
  test('a retrier with MaxAttempts 0 adds no attempt and no delay', () => {
    const g = asl({ StartAt: 'Get', States: { Get: {
      Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 30, End: true,
      Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0, IntervalSeconds: 5 }, { ErrorEquals: ['States.ALL'], MaxAttempts: 1 }],
    } } });
    // 30 x (1 + 0 + 1) + 0 + 1 = 61
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 61 });
  });
  test('a chain adds its states up', () => {
    const g = asl({ StartAt: 'Get', States: {
      Get: { Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 10, Next: 'Pause' },
      Pause: { Type: 'Wait', Seconds: 45, Next: 'Shape' },
      Shape: { Type: 'Pass', Next: 'Done' },
      Done: { Type: 'Succeed' },
    } });
    // 10 + 45 + 0 + 0 = 55
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 55 });
  });
});

describe('worstCase: waits and branching', () => {
  test('a Wait with Seconds lasts those seconds', () => {
    expect(worstCase(asl({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, End: true } } }), noLambdas)).toEqual({ seconds: 600 });
  });
  test('a Choice takes its longest way, Default included', () => {
    const route = (skipSeconds: number) => asl({ StartAt: 'Route', States: {
      Route: { Type: 'Choice', Choices: [
        { Variable: '$.size', NumericGreaterThan: 100, Next: 'Slow' },
        { Variable: '$.size', NumericGreaterThan: 10, Next: 'Fast' },
      ], Default: 'Skip' },
      Slow: { Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 100, Next: 'After' }, // 100 + 5 = 105
      Fast: { Type: 'Wait', Seconds: 10, Next: 'After' }, //                             10 + 5 = 15
      Skip: { Type: 'Wait', Seconds: skipSeconds, End: true }, //                        skipSeconds
      After: { Type: 'Wait', Seconds: 5, End: true },
    } });
    // max(105, 15, 1) = 105
    expect(worstCase(route(1), noLambdas)).toEqual({ seconds: 105 });
    // max(105, 15, 200) = 200: the Default is a way through the Choice too
    expect(worstCase(route(200), noLambdas)).toEqual({ seconds: 200 });
  });
  test('a Catch path counts: every attempt fails, then the handler runs', () => {
    const g = asl({ StartAt: 'Charge', States: {
      Charge: {
        Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 20, Next: 'Done',
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Refund' }],
      },
      Done: { Type: 'Succeed' },
      Refund: { Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 50, Next: 'Failed' },
      Failed: { Type: 'Fail', Error: 'ChargeFailed' },
    } });
    // Charge: 20 x (1 + 1) + 2 = 42; then max(Done 0, Refund 50 + Failed 0) = 50 -> 92
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 92 });
  });
  test('a Parallel lasts as long as its slowest branch, times its own attempts', () => {
    const g = asl({ StartAt: 'Fan', States: {
      Fan: {
        Type: 'Parallel', Next: 'Cool',
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3, MaxAttempts: 1 }],
        Branches: [
          { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 30, End: true } } }, //                     30
          { StartAt: 'B', States: { B: { Type: 'Task', Resource: DDB_GET, TimeoutSeconds: 60, Next: 'B2' }, //  60 + 15 = 75
            B2: { Type: 'Wait', Seconds: 15, End: true } } },
          { StartAt: 'C', States: { C: { Type: 'Pass', End: true } } }, //                                  0
        ],
      },
      Cool: { Type: 'Wait', Seconds: 7, End: true },
    } });
    // slowest branch 75; the Parallel retried once: 75 x (1 + 1) + 3 = 153; then Cool 7 -> 160
    expect(worstCase(g, noLambdas)).toEqual({ seconds: 160 });
  });
});

describe('worstCase: unbounded work names the state', () => {
  // Each unbounded state sits after a bounded one, so the message must name it, not the start.
  const after = (name: string, state: object) => asl({ StartAt: 'First', States: { First: { Type: 'Wait', Seconds: 1, Next: name }, [name]: { ...state, End: true } } });

  test('a Task without TimeoutSeconds that is not a known Lambda', () => {
    expect(worstCase(after('PutItem', { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem' }), noLambdas))
      .toEqual({ unbounded: 'PutItem is a Task without TimeoutSeconds' });
  });
  test('a Task with TimeoutSecondsPath', () => {
    expect(worstCase(after('RunJob', { Type: 'Task', Resource: DDB_GET, TimeoutSecondsPath: '$.timeout' }), noLambdas))
      .toEqual({ unbounded: 'RunJob takes its timeout from TimeoutSecondsPath' });
  });
  test('a Wait with SecondsPath', () => {
    expect(worstCase(after('HoldIt', { Type: 'Wait', SecondsPath: '$.holdSeconds' }), noLambdas))
      .toEqual({ unbounded: 'HoldIt waits for a time the definition does not fix' });
  });
  test('a Wait with TimestampPath', () => {
    expect(worstCase(after('WaitUntil', { Type: 'Wait', TimestampPath: '$.grantAt' }), noLambdas))
      .toEqual({ unbounded: 'WaitUntil waits for a time the definition does not fix' });
  });
  test('a Map', () => {
    const map = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } } };
    expect(worstCase(after('EachItem', map), noLambdas))
      .toEqual({ unbounded: 'EachItem is a Map (its item count is not fixed by the definition)' });
  });
  test('a loop (a Catch back to an earlier state)', () => {
    const g = asl({ StartAt: 'TryLock', States: {
      TryLock: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 5, Next: 'Done',
        Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Backoff' }] },
      Backoff: { Type: 'Wait', Seconds: 3, Next: 'TryLock' },
      Done: { Type: 'Succeed' },
    } });
    expect(worstCase(g, noLambdas)).toEqual({ unbounded: 'TryLock can be reached again (a loop)' });
  });
  test('one unbounded way through a Choice makes the whole unbounded', () => {
    const g = asl({ StartAt: 'Route', States: {
      Route: { Type: 'Choice', Choices: [{ Variable: '$.wait', BooleanEquals: true, Next: 'Hold' }], Default: 'Quick' },
      Hold: { Type: 'Wait', SecondsPath: '$.seconds', End: true },
      Quick: { Type: 'Wait', Seconds: 1, End: true },
    } });
    expect(worstCase(g, noLambdas)).toEqual({ unbounded: 'Hold waits for a time the definition does not fix' });
  });
  test('an unbounded state inside a Parallel branch is named', () => {
    const g = asl({ StartAt: 'Fan', States: { Fan: { Type: 'Parallel', End: true, Branches: [
      { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 30, End: true } } },
      { StartAt: 'B', States: { B: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', End: true } } },
    ] } } });
    expect(worstCase(g, noLambdas)).toEqual({ unbounded: 'B is a Task without TimeoutSeconds' });
  });
});

describe('worstCase: Lambda tasks bounded by their function\'s timeout', () => {
  const TRAIN_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:train';
  // The transient preset (lambdas/shared/retry-presets.ts) as CDK renders it.
  const TRANSIENT = { ErrorEquals: ['TransientError', 'States.Timeout'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' };
  const lookups: unknown[] = [];
  const timeouts = (name: unknown) => { lookups.push(name); return name === TRAIN_ARN ? 900 : undefined; };
  beforeEach(() => { lookups.length = 0; });

  test('lambda:invoke names the function in Parameters.FunctionName', () => {
    const g = asl({ StartAt: 'Train', States: { Train: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: TRAIN_ARN, 'Payload.$': '$' }, Retry: [TRANSIENT], End: true,
    } } });
    // 900 x (1 + 3) + (1 + 2 + 4) = 3600 + 7 = 3607
    expect(worstCase(g, timeouts)).toEqual({ seconds: 3607 });
    expect(lookups).toContain(TRAIN_ARN);
  });
  test('a payload-only Lambda task names the function as its Resource', () => {
    const g = asl({ StartAt: 'Train', States: { Train: { Type: 'Task', Resource: TRAIN_ARN, Retry: [TRANSIENT], End: true } } });
    // the same: 900 x 4 + 7 = 3607
    expect(worstCase(g, timeouts)).toEqual({ seconds: 3607 });
    expect(lookups).toContain(TRAIN_ARN);
  });
  test('TimeoutSeconds on the task wins over the function\'s timeout', () => {
    const g = asl({ StartAt: 'Train', States: { Train: { Type: 'Task', Resource: TRAIN_ARN, TimeoutSeconds: 60, Retry: [TRANSIENT], End: true } } });
    // 60 x 4 + 7 = 247
    expect(worstCase(g, timeouts)).toEqual({ seconds: 247 });
  });
  test('a function the callback does not know leaves the task unbounded', () => {
    const g = asl({ StartAt: 'Score', States: { Score: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:other' }, End: true,
    } } });
    expect(worstCase(g, timeouts)).toEqual({ unbounded: 'Score is a Task without TimeoutSeconds' });
  });
  test('a .waitForTaskToken or .sync task without TimeoutSeconds waits for someone else: unbounded, whatever its function', () => {
    for (const suffix of ['.waitForTaskToken', '.sync']) {
      const g = asl({ StartAt: 'Park', States: { Park: { Type: 'Task', Resource: `arn:aws:states:::lambda:invoke${suffix}`, Parameters: { FunctionName: TRAIN_ARN }, End: true } } });
      expect(worstCase(g, timeouts)).toEqual({ unbounded: 'Park is a Task without TimeoutSeconds' });
    }
  });
  test('JSONata: the function named in Arguments bounds the task; a timeout or wait from an expression does not', () => {
    const invoke = asl({ StartAt: 'Train', States: { Train: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: TRAIN_ARN }, End: true } } });
    expect(worstCase(invoke, timeouts)).toEqual({ seconds: 900 });
    const timed = asl({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', TimeoutSeconds: '{% $states.input.t %}', End: true } } });
    expect(worstCase(timed, timeouts)).toEqual({ unbounded: 'Call takes its timeout from an expression' });
    const wait = asl({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: '{% $states.input.s %}', End: true } } });
    expect(worstCase(wait, timeouts)).toEqual({ unbounded: 'Hold waits for a time the definition does not fix' });
  });
  test('longestAttempt: the longest single attempt of any task, Parallel branches included (what may run on after a stop)', () => {
    const g = asl({ StartAt: 'A', States: {
      A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', TimeoutSeconds: 5, Retry: [TRANSIENT], Next: 'P' },
      P: { Type: 'Parallel', Next: 'W', Branches: [
        { StartAt: 'Train', States: { Train: { Type: 'Task', Resource: TRAIN_ARN, Retry: [TRANSIENT], End: true } } },
        { StartAt: 'Quick', States: { Quick: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', TimeoutSeconds: 10, End: true } } },
      ] },
      W: { Type: 'Wait', Seconds: 3600, End: true },
    } });
    // Train's one attempt (900 s) is the longest; retries and the Wait run no work after a stop.
    expect(longestAttempt(g, timeouts)).toBe(900);
    const unbounded = asl({ StartAt: 'Park', States: { Park: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: TRAIN_ARN }, End: true } } });
    expect(longestAttempt(unbounded, timeouts)).toBeUndefined();
  });
});
