import { analyze } from '../../lambdas/analyze-data/logic';
import { recordStatus, parseStatusChange, LedgerStore } from '../../lambdas/execution-ledger/logic';
import { generateDataset, parseGenerateInput } from '../../lambdas/generate-data/logic';
import { integrate } from '../../lambdas/integrate-report/logic';
import { parseEndedRun, releaseClaim } from '../../lambdas/release-run-claim/logic';
import { InvalidInput, ValidationError } from '../../lambdas/shared/errors';
import { summarize } from '../../lambdas/summarize-children/logic';
import { train } from '../../lambdas/train-model/logic';
import { hashSeed, validateRequest } from '../../lambdas/validate-request/logic';

describe('validate-request', () => {
  test('normalizes a valid request and computes the claim expiry', () => {
    const v = validateRequest({ request: { runId: 'r-1', records: 10 } }, 1_700_000_000_123, 3600);
    expect(v).toEqual({ runId: 'r-1', records: 10, seed: hashSeed('r-1'), nowEpoch: 1_700_000_000, expiresAt: 1_700_003_600, expiresAtIso: '2023-11-14T23:13:20.000Z' });
  });
  test('defaults records and derives a stable seed', () => {
    expect(validateRequest({ request: { runId: 'abc' } }, 0, 60)).toMatchObject({ records: 1000, seed: hashSeed('abc') });
    expect(hashSeed('abc')).toBe(hashSeed('abc'));
    expect(hashSeed('abc')).not.toBe(hashSeed('abd'));
  });
  test.each([
    [undefined, 'request must be an object'],
    [{}, 'request must be an object'],
    [{ request: [] }, 'request must be an object'],
    [{ request: {} }, 'runId is required'],
    [{ request: { runId: 5 } }, 'runId must be a string, got number'],
    [{ request: { runId: '' } }, 'runId must be 1-80 characters'],
    [{ request: { runId: 'has space' } }, 'runId must be 1-80 characters'],
    [{ request: { runId: 'x'.repeat(81) } }, 'runId must be 1-80 characters'],
    [{ request: { runId: 'ok', records: 0 } }, 'records must be an integer from 1 to 100000'],
    [{ request: { runId: 'ok', records: 1.5 } }, 'records must be an integer'],
    [{ request: { runId: 'ok', seed: -1 } }, 'seed must be a non-negative integer'],
    [{ request: { runId: 'ok', requestedBy: 3 } }, 'requestedBy must be a string'],
  ])('rejects %j with InvalidInput', (input, message) => {
    expect(() => validateRequest(input, 0, 60)).toThrow(InvalidInput);
    expect(() => validateRequest(input, 0, 60)).toThrow(message);
  });
  test('names every problem at once', () => {
    try { validateRequest({ request: { runId: 1, records: 'x' } }, 0, 60); throw new Error('not thrown'); } catch (e) {
      expect((e as InvalidInput).issues).toHaveLength(2);
      expect((e as Error).name).toBe('InvalidInput');
    }
  });
});

describe('pipeline tasks', () => {
  const datasets = ['sales', 'inventory', 'customers'].map((d) => generateDataset(d as never, 200, 7));
  test('generators are deterministic per seed and differ per dataset', () => {
    expect(generateDataset('sales', 200, 7)).toEqual(datasets[0]);
    expect(generateDataset('sales', 200, 8).checksum).not.toBe(datasets[0].checksum);
    expect(datasets[0].checksum).not.toBe(datasets[1].checksum);
    expect(datasets[0].min).toBeLessThanOrEqual(datasets[0].mean);
    expect(datasets[0].max).toBeGreaterThanOrEqual(datasets[0].mean);
  });
  test('generator input is validated', () => {
    expect(() => parseGenerateInput({ dataset: 'weather', records: 1, seed: 1 })).toThrow(ValidationError);
    expect(() => parseGenerateInput({ dataset: 'sales', records: '1', seed: 1 })).toThrow('records must be a finite number');
  });
  test('analysis sums records and rejects duplicates or empty input', () => {
    const a = analyze(datasets);
    expect(a.totalRecords).toBe(600);
    expect(Object.keys(a.features).sort()).toEqual(['customers', 'inventory', 'sales']);
    expect(() => analyze([])).toThrow('datasets must not be empty');
    expect(() => analyze([datasets[0], datasets[0]])).toThrow('appears twice');
  });
  test('trainers score within (0, 1) and integration picks the best model', () => {
    const a = analyze(datasets);
    const models = [train({ algorithm: 'forecast', analysis: a }), train({ algorithm: 'classifier', analysis: a })];
    for (const mdl of models) expect(mdl.score).toBeGreaterThan(0);
    for (const mdl of models) expect(mdl.score).toBeLessThan(1);
    const report = integrate({ runId: 'r', analysis: a, models }, Date.UTC(2026, 0, 1));
    expect(report.bestModel).toBe(models[0].score >= models[1].score ? 'forecast' : 'classifier');
    expect(report.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(() => train({ algorithm: 'svm', analysis: a })).toThrow(ValidationError);
    expect(() => integrate({ runId: 'r', analysis: a, models: [] }, 0)).toThrow('models must not be empty');
  });
});

describe('summarize-children', () => {
  const async = { Entries: [{ EventId: 'ev-1' }], FailedEntryCount: 0 };
  test('reports both children with the waited one\'s duration', () => {
    const s = summarize({ runId: 'p', waited: { ExecutionArn: 'arn:x', Status: 'SUCCEEDED', StartDate: 1_763_800_000_000, StopDate: 1_763_800_003_500 }, async });
    expect(s).toEqual({ runId: 'p', status: 'SUCCEEDED', children: [
      { name: 'pipeline', mode: 'waited', status: 'SUCCEEDED', durationMs: 3500, executionArn: 'arn:x' },
      { name: 'pipeline', mode: 'fire-and-forget', status: 'STARTED', eventId: 'ev-1' },
    ] });
  });
  test('a failed waited child carries its status and error from the TaskFailed cause', () => {
    const cause = JSON.stringify({ ExecutionArn: 'arn:y', Status: 'FAILED', StartDate: 1_763_800_000_000, StopDate: 1_763_800_000_010 });
    const s = summarize({ runId: 'p', waited: { error: { Error: 'States.TaskFailed', Cause: cause } }, async });
    expect(s.status).toBe('FAILED');
    expect(s.children[0]).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed', durationMs: 10 });
  });
  test('an async request that failed to publish is NOT_STARTED', () => {
    expect(summarize({ runId: 'p', waited: { Status: 'SUCCEEDED' }, async: { Entries: [{}], FailedEntryCount: 1 } }).children[1].status).toBe('NOT_STARTED');
  });
});

describe('execution-ledger', () => {
  const event = { 'detail-type': 'Step Functions Execution Status Change', detail: { executionArn: 'arn:e', stateMachineArn: 'arn:sm', name: 'n', status: 'SUCCEEDED', startDate: 1, stopDate: 2 } };
  test('records the status with an expiry, through a port', async () => {
    const written: Record<string, unknown>[] = [];
    const store: LedgerStore = { putUnlessTerminal: async (item) => { written.push(item); return true; } };
    const r = await recordStatus(parseStatusChange(event), store, 10_000, 60);
    expect(r).toEqual({ executionArn: 'arn:e', status: 'SUCCEEDED', written: true });
    expect(written[0]).toMatchObject({ pk: 'EXECUTION#arn:e', sk: 'STATUS', status: 'SUCCEEDED', expiresAt: 70 });
  });
  test('rejects other events', () => {
    expect(() => parseStatusChange({ ...event, 'detail-type': 'Other' })).toThrow(ValidationError);
    expect(() => parseStatusChange({ ...event, detail: { ...event.detail, status: 'DONE' } })).toThrow('not an execution status');
  });
});

describe('release-run-claim: a pipeline run that ended without succeeding frees its run id', () => {
  // The Execution Status Change event carries the execution's input as a JSON string
  // (https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html, "Execution Status Change").
  const event = (status: string, input: unknown = { request: { runId: 'r-1' } }) => ({ detail: { executionArn: 'arn:exec:1', status, input: JSON.stringify(input), stopDate: 1_000 } });
  test('FAILED, ABORTED and TIMED_OUT release only the claim this execution holds', async () => {
    for (const status of ['FAILED', 'ABORTED', 'TIMED_OUT']) {
      const calls: unknown[][] = [];
      const store = { releaseIfHeld: async (...a: unknown[]) => { calls.push(a); return true; } };
      expect(await releaseClaim(parseEndedRun(event(status)), store, 5_000)).toEqual({ runId: 'r-1', released: true });
      expect(calls).toEqual([['r-1', 'arn:exec:1', status, new Date(1_000).toISOString()]]);
    }
  });
  test('a claim held by another execution (or already released) is left alone', async () => {
    const store = { releaseIfHeld: async () => false };
    expect(await releaseClaim(parseEndedRun(event('ABORTED')), store, 0)).toEqual({ runId: 'r-1', released: false });
  });
  test('a running or succeeded execution, or one without a run id, is refused with a clear error', () => {
    expect(() => parseEndedRun(event('SUCCEEDED'))).toThrow(/detail.status must be one of FAILED, ABORTED, TIMED_OUT/);
    expect(() => parseEndedRun(event('RUNNING'))).toThrow(ValidationError);
    expect(() => parseEndedRun(event('ABORTED', { request: {} }))).toThrow(/has no request.runId/);
    expect(() => parseEndedRun({ detail: { executionArn: 'a', status: 'ABORTED' } })).toThrow(/input of a is not included/);
  });
});
