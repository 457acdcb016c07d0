/** Guaranteed teardown (`cluster-job`, recovery by `cluster-job-teardown`). */
import { ListExecutionsCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { keys } from '../../lib/state/keys';
import { embeddedOnlyTest, entered, finish, getItem, history, run, start, uniqueId, waitUntil } from './helpers';
import { Target } from './targets';

export function defineTeardownScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const workspace = (runId: string) => getItem(t(), keys.effect(`ws-${runId}`, 'WORKSPACE'));
  const record = (executionArn: string) => getItem(t(), keys.teardown(executionArn));
  const destroyedOnce = (runId: string, reason: string) => waitUntil(t(), `workspace ws-${runId} destroyed`, async () => {
    const w = await workspace(runId);
    return w?.status === 'DESTROYED' ? w : undefined;
  }, 0).then((w) => expect(w).toMatchObject({ created: 1, destroyed: 1, lastReason: reason }));
  const recoveries = async () => (await t().sfn.send(new ListExecutionsCommand({ stateMachineArn: t().machineArn('cluster-job-teardown') }))).executions ?? [];

  describe('guaranteed teardown (cluster-job)', () => {
    test('on success: setup, work, then teardown once', async () => {
      const runId = uniqueId('r');
      const e = await run(t(), 'cluster-job', { request: { runId } });
      expect(e.status).toBe('SUCCEEDED');
      expect(entered(await history(t(), e.executionArn!))).toEqual(['CheckInput', 'OpenWorkspace', 'RecordResources', 'RunWork', 'RunJob', 'ClaimTeardown', 'Teardown', 'MarkTornDown', 'Finished']);
      await destroyedOnce(runId, 'SUCCEEDED');
      expect(await record(e.executionArn!)).toMatchObject({ status: 'DONE' });
    });

    embeddedOnly('on failure: teardown once, then the run fails with the work\'s error (the recovery finds nothing to do)', async () => {
      const runId = uniqueId('r');
      const fault = t().runtime!.faults.inject({ target: { function: 'ClusterJob/JobFn' }, error: { name: 'JobCrashed', message: 'out of memory' } });
      try {
        const e = await run(t(), 'cluster-job', { request: { runId } });
        expect(e).toMatchObject({ status: 'FAILED', error: 'JobCrashed' });
        expect(entered(await history(t(), e.executionArn!))).toEqual(expect.arrayContaining(['ClaimTeardownAfterFailure', 'TeardownAfterFailure', 'MarkTornDownAfterFailure', 'WorkFailed']));
        await destroyedOnce(runId, 'FAILED');
        const recovery = await waitUntil(t(), 'the recovery run', async () => (await recoveries()).find((x) => x.status !== 'RUNNING' && x.startDate! >= e.stopDate!), 0);
        expect(entered(await history(t(), recovery.executionArn!))).toEqual(['LoadResources', 'NeedsTeardown', 'NothingToTearDown']);
        expect(await workspace(runId)).toMatchObject({ destroyed: 1 });
      } finally { fault.remove(); }
    });

    embeddedOnly('on abort: the status-change event starts the recovery, which tears down once', async () => {
      const runId = uniqueId('r');
      const hang = t().runtime!.faults.inject({ target: { function: 'ClusterJob/JobFn' }, latencyMs: 3_600_000 });
      try {
        const arn = await start(t(), 'cluster-job', { request: { runId } });
        await waitUntil(t(), 'the job to run', async () => (entered(await history(t(), arn)).includes('RunJob') ? true : undefined), 0);
        expect(await workspace(runId)).toMatchObject({ status: 'OPEN' });
        await t().sfn.send(new StopExecutionCommand({ executionArn: arn, cause: 'operator' }));
        await destroyedOnce(runId, 'ABORTED');
        expect(await record(arn)).toMatchObject({ status: 'DONE' });
      } finally { hang.remove(); }
    });

    embeddedOnly('on timeout: the recovery tears down once', async () => {
      const runId = uniqueId('r');
      const hang = t().runtime!.faults.inject({ target: { function: 'ClusterJob/JobFn' }, latencyMs: 3_600_000 });
      try {
        const arn = await start(t(), 'cluster-job', { request: { runId } });
        // The workflow times out after 30 minutes (and the job's Lambda after its 15).
        const e = await finish(t(), arn, 60_000);
        expect(e.status).toBe('TIMED_OUT');
        await destroyedOnce(runId, 'TIMED_OUT');
      } finally { hang.remove(); }
    });

    test('a repeated status-change event (at-least-once delivery) does not tear down twice', async () => {
      const runId = uniqueId('r');
      const e = await run(t(), 'cluster-job', { request: { runId } });
      await destroyedOnce(runId, 'SUCCEEDED');
      const replay = await run(t(), 'cluster-job-teardown', { detail: { executionArn: e.executionArn, status: 'ABORTED' } });
      expect(replay.status).toBe('SUCCEEDED');
      expect(entered(await history(t(), replay.executionArn!))).toEqual(['LoadResources', 'NeedsTeardown', 'NothingToTearDown']);
      expect(await workspace(runId)).toMatchObject({ destroyed: 1 });
    });
  });
}
