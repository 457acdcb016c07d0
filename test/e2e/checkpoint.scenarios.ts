/** Checkpoint and resume (`report`): crash at every step, resume, every effect exactly once. */
import { keys, PREFIX } from '../../lib/state/keys';
import { entered, getItem, lambdaStates, history, queryPk, run, uniqueId, embeddedOnlyTest } from './helpers';
import { Target } from './targets';

const STEPS = ['Extract', 'Transform', 'Load', 'Publish'] as const;

export function defineCheckpointScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const effects = async (runId: string) => Object.fromEntries((await queryPk(t(), `${PREFIX.effect}report#${runId}`)).map((i) => [i.sk, i.count]));
  const checkpoints = async (runId: string) => (await queryPk(t(), `${PREFIX.stepCheckpoint}report#${runId}`)).map((i) => String(i.sk).slice(PREFIX.step.length)).sort();

  describe('checkpoint and resume (report)', () => {
    test('a run checkpoints every step and its effects happen once', async () => {
      const runId = uniqueId('report');
      const exec = await run(t(), 'report', { request: { runId, rows: 3 } });
      expect(exec.status).toBe('SUCCEEDED');
      const out = JSON.parse(exec.output!);
      expect(out.steps.Transform.value.lines).toHaveLength(3);
      expect(Object.values(out.steps).map((s) => (s as { reused: boolean }).reused)).toEqual([false, false, false, false]);
      expect(await effects(runId)).toEqual({ extract: 1, transform: 1, load: 1, publish: 1 });
      expect(await checkpoints(runId)).toEqual([...STEPS].sort());
      const cp = await getItem(t(), keys.stepCheckpoint('report', runId, 'Transform'));
      expect(JSON.parse(cp!.output).lines).toHaveLength(3);
      expect(cp!.expiresAt).toBeGreaterThan(Date.now() / 1000);
    });

    for (const [k, crashed] of STEPS.entries()) {
      embeddedOnly(`a crash at step ${k + 1} (${crashed}): the re-run resumes there and every effect happened exactly once`, async () => {
        const rt = t().runtime!;
        const runId = uniqueId(`crash${k + 1}`);
        const fault = rt.faults.inject({ target: { function: 'Report/ReportStepFn' }, error: { name: 'WorkerCrashed', message: `crash at ${crashed}` }, times: 1, when: (i) => (i as { runId: string; step: string }).runId === runId && (i as { step: string }).step === crashed.toLowerCase() });
        try {
          const first = await run(t(), 'report', { request: { runId } });
          expect(first).toMatchObject({ status: 'FAILED', error: 'WorkerCrashed' });
          expect(await checkpoints(runId)).toEqual(STEPS.slice(0, k).map(String).sort());
          const second = await run(t(), 'report', { request: { runId } });
          expect(second.status).toBe('SUCCEEDED');
          const h = await history(t(), second.executionArn!);
          const names = entered(h);
          for (const [j, s] of STEPS.entries()) expect(names).toContain(j < k ? `Reuse${s}Output` : `Run${s}`);
          expect(lambdaStates(h).filter((s) => s !== 'BeginRun')).toEqual(STEPS.slice(k).map(String));
          expect(await effects(runId)).toEqual({ extract: 1, transform: 1, load: 1, publish: 1 });
          // The resumed run's output carries the reused outputs as if they had just run.
          expect(JSON.parse(second.output!).steps.Transform.value.lines).toHaveLength(10);
        } finally { fault.remove(); }
      });
    }

    embeddedOnly('an expired checkpoint is ignored: the step runs again', async () => {
      const rt = t().runtime!;
      const runId = uniqueId('expired');
      expect((await run(t(), 'report', { request: { runId } })).status).toBe('SUCCEEDED');
      // Past the 7-day TTL, with the expiry sweep held back: DynamoDB deletes lazily (hours to days).
      const resume = rt.pauseSweeper();
      let again;
      try {
        await rt.clock.advance(8 * 24 * 3600 * 1000);
        expect(await checkpoints(runId)).toHaveLength(4);
        again = await run(t(), 'report', { request: { runId } });
      } finally { resume(); }
      expect(entered(await history(t(), again.executionArn!))).toEqual(expect.arrayContaining(STEPS.map((s) => `Run${s}`)));
      expect(await effects(runId)).toEqual({ extract: 2, transform: 2, load: 2, publish: 2 });
    });

    test('a step output over the payload limit fails the run with PayloadTooLarge and saves no checkpoint', async () => {
      const runId = uniqueId('big');
      const exec = await run(t(), 'report', { request: { runId, rows: 10000 } });
      expect(exec).toMatchObject({ status: 'FAILED', error: 'PayloadTooLarge' });
      expect(JSON.parse(exec.cause!).errorMessage).toMatch(/^the output of step transform is \d+ bytes, over the 245760-byte payload limit/);
      expect(await checkpoints(runId)).toEqual(['Extract']);
      expect(await effects(runId)).toEqual({ extract: 1 });
    });

    test('an invalid run id fails with InvalidInput and writes nothing', async () => {
      const exec = await run(t(), 'report', { request: { runId: 'has spaces and #' } });
      expect(exec).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      expect(entered(await history(t(), exec.executionArn!))).toEqual(['CheckInput', 'BeginRun']);
    });
  });
}
