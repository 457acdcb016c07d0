/**
 * Exactly-once effects under crashes, for `report` (checkpoint and resume) and `order-saga` (saga).
 * Step Functions runs a task at least once, so "exactly once" rests on idempotent effects: every step,
 * action and compensation gets a stable idempotency key and the demo services apply an effect at most
 * once per key (`lambdas/shared/idempotent-effect.ts`). Each step is crashed in four ways:
 *   before  - the call fails before the handler runs (nothing done);
 *   after   - the handler ran (the effect is done) and its answer is lost;
 *   write   - the checkpoint / saga-log write that follows fails (its answer lost after the write too);
 *   stop    - the execution is stopped while the Lambda is in flight, after its effect.
 * After the crash the run is retried or re-run with the same id; every effect counter must be 1.
 * Embedded only: the crashes come from the runtime's fault injection.
 */
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { keys, PREFIX } from '../../lib/state/keys';
import { entered, finish, getItem, history, lambdaStates, queryPk, run, start, uniqueId, waitUntil, embeddedOnlyTest } from './helpers';
import { Target } from './targets';

const REPORT_STEPS = ['Extract', 'Transform', 'Load', 'Publish'] as const;
const SAGA_STEPS = ['ReserveInventory', 'ChargePayment', 'ArrangeShipment', 'EmailReceipt', 'ConfirmOrder'] as const;
const GROUP: readonly string[] = ['ArrangeShipment', 'EmailReceipt'];

type Call = { runId?: string; sagaId?: string; step: string; kind?: string };

export function defineExactlyOnceScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const counts = async (scope: string) => Object.fromEntries((await queryPk(t(), `${PREFIX.effect}${scope}`)).map((i) => [i.sk, i.count]));
  const stop = (executionArn: string) => t().sfn.send(new StopExecutionCommand({ executionArn, error: 'Crash', cause: 'worker lost' }));
  const effectApplied = (key: { pk: string; sk: string }) => waitUntil(t(), `effect ${key.sk} applied`, async () => ((await getItem(t(), key))?.count === 1 ? true : undefined), 0);

  describe('exactly-once effects: report (checkpoint and resume)', () => {
    const all = { extract: 1, transform: 1, load: 1, publish: 1 };
    const fn = 'Report/ReportStepFn';
    const at = (runId: string, step: string) => (i: unknown) => (i as Call).runId === runId && (i as Call).step === step.toLowerCase();

    for (const step of REPORT_STEPS) {
      embeddedOnly(`${step}: answer lost after the effect, retried in the run: the effect happens once`, async () => {
        const rt = t().runtime!;
        const runId = uniqueId(`after-${step}`);
        const fault = rt.faults.inject({ target: { function: fn }, phase: 'after', error: { name: 'TransientError', message: 'connection reset' }, times: 1, when: at(runId, step) });
        try {
          const exec = await run(t(), 'report', { request: { runId } });
          expect(exec.status).toBe('SUCCEEDED');
          expect(fault.hits).toBe(1);
          expect(lambdaStates(await history(t(), exec.executionArn!)).filter((s) => s === step)).toHaveLength(2);
          expect(await counts(`report#${runId}`)).toEqual(all);
        } finally { fault.remove(); }
      });

      embeddedOnly(`${step}: a crash after the effect and before the checkpoint, then a re-run: the effect happens once`, async () => {
        const rt = t().runtime!;
        const runId = uniqueId(`crash-after-${step}`);
        const fault = rt.faults.inject({ target: { function: fn }, phase: 'after', error: { name: 'WorkerCrashed', message: 'lost' }, times: 1, when: at(runId, step) });
        try {
          const first = await run(t(), 'report', { request: { runId } });
          expect(first).toMatchObject({ status: 'FAILED', error: 'WorkerCrashed' });
          expect((await getItem(t(), keys.stepCheckpoint('report', runId, step)))).toBeUndefined();
          expect((await counts(`report#${runId}`))[step.toLowerCase()]).toBe(1);
          const second = await run(t(), 'report', { request: { runId } });
          expect(second.status).toBe('SUCCEEDED');
          // The step runs again (no checkpoint), with the same key: no second effect.
          expect(entered(await history(t(), second.executionArn!))).toContain(`Run${step}`);
          expect(await counts(`report#${runId}`)).toEqual(all);
        } finally { fault.remove(); }
      });

      embeddedOnly(`${step}: the checkpoint write fails (before and after writing), then a re-run: the effect happens once`, async () => {
        const rt = t().runtime!;
        const runId = uniqueId(`write-${step}`);
        const saveState = { state: `Save${step}Checkpoint`, stateMachine: 'report' };
        const mine = (i: unknown) => JSON.stringify(i).includes(runId);
        // The write succeeds but its answer is lost: the retry finds the checkpoint and moves on.
        const lost = rt.faults.inject({ target: saveState, phase: 'after', error: { name: 'DynamoDB.InternalServerErrorException', message: 'lost answer' }, times: 1, when: mine });
        let exec;
        try { exec = await run(t(), 'report', { request: { runId } }); } finally { lost.remove(); }
        expect(exec.status).toBe('SUCCEEDED');
        expect(lost.hits).toBe(1);
        expect(await counts(`report#${runId}`)).toEqual(all);
        // The write never succeeds (every retry fails): the run fails; a re-run redoes the step once.
        const runId2 = uniqueId(`write-fail-${step}`);
        const down = rt.faults.inject({ target: saveState, error: { name: 'DynamoDB.InternalServerErrorException', message: 'down' }, when: (i) => JSON.stringify(i).includes(runId2) });
        try {
          const failed = await run(t(), 'report', { request: { runId: runId2 } });
          expect(failed).toMatchObject({ status: 'FAILED', error: 'DynamoDB.InternalServerErrorException' });
          expect(down.hits).toBe(4); // 1 + the dynamodb preset's 3 retries
        } finally { down.remove(); }
        const again = await run(t(), 'report', { request: { runId: runId2 } });
        expect(again.status).toBe('SUCCEEDED');
        expect(await counts(`report#${runId2}`)).toEqual(all);
      });

      embeddedOnly(`${step}: the execution is stopped while the Lambda is in flight after its effect, then a re-run: the effect happens once`, async () => {
        const rt = t().runtime!;
        const runId = uniqueId(`stop-${step}`);
        const slow = rt.faults.inject({ target: { function: fn }, phase: 'after', latencyMs: 60_000, times: 1, when: at(runId, step) });
        try {
          const arn = await start(t(), 'report', { request: { runId } });
          // Earlier steps need the clock to move (their retries do not, but BeginRun and the steps run at once).
          await effectApplied(keys.effect(`report#${runId}`, step.toLowerCase()));
          await stop(arn);
          const stopped = await finish(t(), arn, 0);
          expect(stopped.status).toBe('ABORTED');
          const again = await run(t(), 'report', { request: { runId } });
          expect(again.status).toBe('SUCCEEDED');
          await rt.clock.advance(60_000); // the stopped run's Lambda answers now, to nobody
          expect(await counts(`report#${runId}`)).toEqual(all);
          expect(await getItem(t(), keys.stepCheckpoint('report', runId, step))).toMatchObject({ executionArn: again.executionArn });
        } finally { slow.remove(); }
      });
    }
  });

  describe('exactly-once effects: order-saga (saga)', () => {
    const fn = 'OrderSaga/OrderServiceFn';
    const at = (sagaId: string, step: string, kind = 'action') => (i: unknown) => (i as Call).sagaId === sagaId && (i as Call).step === step && (i as Call).kind === kind;
    const allActions = Object.fromEntries(SAGA_STEPS.map((s) => [`action#${s}`, 1]));

    for (const step of SAGA_STEPS) {
      embeddedOnly(`${step}: a crash before the call, retried: the saga succeeds and every action happened once`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`before-${step}`);
        const fault = rt.faults.inject({ target: { function: fn }, error: { name: 'Sandbox.Timedout', message: 'crash before' }, times: 1, when: at(sagaId, step) });
        try {
          const exec = await run(t(), 'order-saga', { request: { sagaId } });
          expect(JSON.parse(exec.output!).status).toBe('SUCCEEDED');
          expect(fault.hits).toBe(1);
          expect(await counts(`saga#${sagaId}`)).toEqual(allActions);
        } finally { fault.remove(); }
      });

      embeddedOnly(`${step}: the answer is lost after the action's effect, retried: the action happened once`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`after-${step}`);
        const fault = rt.faults.inject({ target: { function: fn }, phase: 'after', error: { name: 'TransientError', message: 'answer lost' }, times: 1, when: at(sagaId, step) });
        try {
          const exec = await run(t(), 'order-saga', { request: { sagaId } });
          const out = JSON.parse(exec.output!);
          expect(out.status).toBe('SUCCEEDED');
          expect(lambdaStates(await history(t(), exec.executionArn!)).filter((s) => s === step)).toHaveLength(2);
          expect(out.steps[step].status).toBe('DONE');
          expect(await counts(`saga#${sagaId}`)).toEqual(allActions);
        } finally { fault.remove(); }
      });

      embeddedOnly(`${step}: every answer is lost after the effect: the step's outcome is unknown, so it is compensated with the others, each once`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`unknown-${step}`);
        const fault = rt.faults.inject({ target: { function: fn }, phase: 'after', error: { name: 'Sandbox.Timedout', message: 'answer lost' }, when: at(sagaId, step) });
        try {
          const exec = await run(t(), 'order-saga', { request: { sagaId } });
          const out = JSON.parse(exec.output!);
          expect(out.status).toBe('COMPENSATED');
          expect(fault.hits).toBe(4); // 1 + the transient preset's 3 retries
          const fx = await counts(`saga#${sagaId}`);
          expect(fx[`action#${step}`]).toBe(1);
          // Every action that happened is undone exactly once, the unknown one included.
          for (const [k, v] of Object.entries(fx)) if (k.startsWith('action#')) expect([k, fx[`compensation#${k.slice(7)}`]]).toEqual([k, v]);
          expect(Object.values(fx).every((v) => v === 1)).toBe(true);
        } finally { fault.remove(); }
      });

      embeddedOnly(`${step}: a crash after the effect with an error that is not retried (outcome unknown): the step is compensated too`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`crash-${step}`);
        const fault = rt.faults.inject({ target: { function: fn }, phase: 'after', error: { name: 'WorkerCrashed', message: 'out of memory' }, times: 1, when: at(sagaId, step) });
        try {
          const exec = await run(t(), 'order-saga', { request: { sagaId } });
          expect(JSON.parse(exec.output!).status).toBe('COMPENSATED');
          const fx = await counts(`saga#${sagaId}`);
          expect(fx[`action#${step}`]).toBe(1);
          // Its effect happened: undoing it is what keeps the saga's promise.
          expect(fx[`compensation#${step}`]).toBe(1);
          for (const [k, v] of Object.entries(fx)) if (k.startsWith('action#')) expect([k, fx[`compensation#${k.slice(7)}`]]).toEqual([k, v]);
        } finally { fault.remove(); }
      });

      embeddedOnly(`${step}: the saga-log write fails (answer lost, then down), then a re-run: the action happened once`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`log-${step}`);
        const logState = { state: `Log${step}Done`, stateMachine: 'order-saga' };
        const lost = rt.faults.inject({ target: logState, phase: 'after', error: { name: 'DynamoDB.InternalServerErrorException', message: 'lost answer' }, times: 1, when: (i) => JSON.stringify(i).includes(sagaId) });
        let exec;
        try { exec = await run(t(), 'order-saga', { request: { sagaId } }); } finally { lost.remove(); }
        expect(JSON.parse(exec.output!).status).toBe('SUCCEEDED');
        expect(lost.hits).toBe(1);
        expect(await counts(`saga#${sagaId}`)).toEqual(allActions);
        const sagaId2 = uniqueId(`log-down-${step}`);
        const down = rt.faults.inject({ target: logState, error: { name: 'DynamoDB.InternalServerErrorException', message: 'down' }, when: (i) => JSON.stringify(i).includes(sagaId2) });
        try {
          const failed = await run(t(), 'order-saga', { request: { sagaId: sagaId2 } });
          if (GROUP.includes(step)) {
            // In the parallel group a branch's failure is the group's failure: the saga compensates.
            expect(JSON.parse(failed.output!).status).toBe('COMPENSATED');
          } else {
            // Elsewhere it fails the execution with the saga still RUNNING: a re-run resumes it.
            expect(failed).toMatchObject({ status: 'FAILED', error: 'DynamoDB.InternalServerErrorException' });
            expect((await getItem(t(), keys.sagaAction('order', sagaId2, step)))?.status).toBe('STARTED');
          }
        } finally { down.remove(); }
        const again = await run(t(), 'order-saga', { request: { sagaId: sagaId2 } });
        const fx = await counts(`saga#${sagaId2}`);
        if (GROUP.includes(step)) {
          expect(JSON.parse(again.output!).status).toBe('COMPENSATED');
          for (const [k, v] of Object.entries(fx)) expect([k, v]).toEqual([k, 1]);
          expect(fx[`action#${step}`]).toBe(1);
          expect(fx[`compensation#${step}`]).toBe(1);
        } else {
          expect(JSON.parse(again.output!).status).toBe('SUCCEEDED');
          expect(fx).toEqual(allActions);
        }
      });

      embeddedOnly(`${step}: stopped while the action is in flight after its effect, then a re-run: the action happened once`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`stop-${step}`);
        const slow = rt.faults.inject({ target: { function: fn }, phase: 'after', latencyMs: 60_000, times: 1, when: at(sagaId, step) });
        try {
          const arn = await start(t(), 'order-saga', { request: { sagaId } });
          await effectApplied(keys.effect(`saga#${sagaId}`, `action#${step}`));
          await stop(arn);
          expect((await finish(t(), arn, 0)).status).toBe('ABORTED');
          const again = await run(t(), 'order-saga', { request: { sagaId } });
          expect(JSON.parse(again.output!).status).toBe('SUCCEEDED');
          await rt.clock.advance(60_000);
          expect(await counts(`saga#${sagaId}`)).toEqual(allActions);
        } finally { slow.remove(); }
      });

      embeddedOnly(`${step}: a compensation whose answer is lost after its effect is retried and undoes once`, async () => {
        const rt = t().runtime!;
        const sagaId = uniqueId(`comp-${step}`);
        // The last step is refused, so every step before it (and this one, if it is not the last) is compensated.
        const refuse = rt.faults.inject({ target: { function: fn }, error: { name: 'OrderRejected', message: 'refused' }, when: at(sagaId, 'ConfirmOrder') });
        const lost = step === 'ConfirmOrder' ? undefined
          : rt.faults.inject({ target: { function: fn }, phase: 'after', error: { name: 'TransientError', message: 'answer lost' }, times: 1, when: at(sagaId, step, 'compensation') });
        try {
          const exec = await run(t(), 'order-saga', { request: { sagaId } });
          expect(JSON.parse(exec.output!).status).toBe('COMPENSATED');
          const fx = await counts(`saga#${sagaId}`);
          const done = SAGA_STEPS.filter((s) => s !== 'ConfirmOrder');
          expect(fx).toEqual(Object.fromEntries(done.flatMap((s) => [[`action#${s}`, 1], [`compensation#${s}`, 1]])));
          if (lost) expect(lost.hits).toBe(1);
        } finally { refuse.remove(); lost?.remove(); }
      });
    }
  });
}
