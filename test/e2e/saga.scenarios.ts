/** Saga (`order-saga`): a failure at every position, an escalating compensation, re-runs. */
import { SAGA_COMPENSATION_FAILED } from '../../lib/events';
import { keys, PREFIX } from '../../lib/state/keys';
import { busEvents, entered, getItem, history, lambdaStates, queryPk, run, uniqueId, embeddedOnlyTest } from './helpers';
import { Target } from './targets';

/** Positions of the saga, with the steps each holds (the group runs in parallel). */
const POSITIONS: { name: string; steps: string[] }[] = [
  { name: 'ReserveInventory', steps: ['ReserveInventory'] },
  { name: 'ChargePayment', steps: ['ChargePayment'] },
  { name: 'Fulfil', steps: ['ArrangeShipment', 'EmailReceipt'] },
  { name: 'ConfirmOrder', steps: ['ConfirmOrder'] },
];
const ALL_STEPS = POSITIONS.flatMap((p) => p.steps);

export function defineSagaScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const effects = async (sagaId: string) => Object.fromEntries((await queryPk(t(), `${PREFIX.effect}saga#${sagaId}`)).map((i) => [i.sk, i.count]));
  const header = (sagaId: string) => getItem(t(), keys.sagaHeader('order', sagaId));
  const failOn = (sagaId: string, step: string, kind: 'action' | 'compensation', times?: number, error = 'OrderRejected') => t().runtime!.faults.inject({
    target: { function: 'OrderSaga/OrderServiceFn' }, error: { name: error, message: `${step} refused` }, ...(times ? { times } : {}),
    when: (i) => { const c = i as { sagaId: string; step: string; kind: string }; return c.sagaId === sagaId && c.step === step && c.kind === kind; },
  });

  describe('saga (order-saga)', () => {
    test('every step runs once, the saga succeeds, and the output says what ran', async () => {
      const sagaId = uniqueId('order');
      const exec = await run(t(), 'order-saga', { request: { sagaId, sku: 'SKU-1', quantity: 2 } });
      expect(exec.status).toBe('SUCCEEDED');
      const out = JSON.parse(exec.output!);
      expect(out.status).toBe('SUCCEEDED');
      expect(Object.keys(out.steps).sort()).toEqual([...ALL_STEPS].sort());
      expect(Object.values(out.steps).every((s) => (s as { status: string }).status === 'DONE')).toBe(true);
      expect(out.compensated).toEqual({});
      expect(await effects(sagaId)).toEqual(Object.fromEntries(ALL_STEPS.map((s) => [`action#${s}`, 1])));
      expect((await header(sagaId))?.status).toBe('SUCCEEDED');
    });

    for (const [k, position] of POSITIONS.entries()) {
      embeddedOnly(`a failure at position ${k + 1} (${position.name}) compensates exactly the completed steps, in reverse order`, async () => {
        const sagaId = uniqueId(`fail${k + 1}`);
        // In the parallel group, the first member fails; its sibling may or may not have started.
        const failing = position.steps[0];
        const fault = failOn(sagaId, failing, 'action');
        try {
          const exec = await run(t(), 'order-saga', { request: { sagaId } });
          expect(exec.status).toBe('SUCCEEDED');
          const out = JSON.parse(exec.output!);
          expect(out).toMatchObject({ status: 'COMPENSATED', failure: { at: { step: position.name }, error: { Error: 'OrderRejected' } } });
          const completedBefore = POSITIONS.slice(0, k).flatMap((p) => p.steps);
          const h = await history(t(), exec.executionArn!);
          const compensations = lambdaStates(h).filter((s) => s.startsWith('Compensate')).map((s) => s.slice('Compensate'.length));
          // A sibling in the group that started counts as possibly done: it is compensated too.
          const sibling = position.steps.slice(1).filter((s) => entered(h).includes(`Start${s}`));
          const expected = [...completedBefore, ...sibling].reverse();
          expect(compensations.filter((s) => !sibling.includes(s))).toEqual([...completedBefore].reverse());
          expect(compensations.sort()).toEqual([...expected].sort());
          expect(Object.keys(out.compensated).sort()).toEqual([...expected].sort());
          const fx = await effects(sagaId);
          for (const s of expected) expect(fx[`compensation#${s}`]).toBe(1);
          expect(fx[`compensation#${failing}`]).toBeUndefined();
          expect(fx[`action#${failing}`]).toBeUndefined(); // the injected fault refused the call before it ran
          expect((await header(sagaId))).toMatchObject({ status: 'COMPENSATED', failedStep: position.name, failedError: 'OrderRejected' });
          expect((await getItem(t(), keys.sagaAction('order', sagaId, failing)))?.status).toBe('FAILED');
        } finally { fault.remove(); }
      });
    }

    embeddedOnly('compensations run in reverse order of the steps', async () => {
      const sagaId = uniqueId('order-rev');
      const fault = failOn(sagaId, 'ConfirmOrder', 'action');
      try {
        const exec = await run(t(), 'order-saga', { request: { sagaId } });
        const h = await history(t(), exec.executionArn!);
        expect(lambdaStates(h).filter((s) => s.startsWith('Compensate'))).toEqual(['CompensateEmailReceipt', 'CompensateArrangeShipment', 'CompensateChargePayment', 'CompensateReserveInventory']);
      } finally { fault.remove(); }
    });

    embeddedOnly('a compensation that keeps failing escalates: SagaCompensationFailed is published, and a re-run resumes it', async () => {
      const sagaId = uniqueId('escalate');
      const before = busEvents(t(), SAGA_COMPENSATION_FAILED.detailType).length;
      const actionFault = failOn(sagaId, 'ConfirmOrder', 'action');
      const compFault = failOn(sagaId, 'ChargePayment', 'compensation', undefined, 'TransientError');
      try {
        const exec = await run(t(), 'order-saga', { request: { sagaId } });
        expect(exec).toMatchObject({ status: 'FAILED', error: 'SagaCompensationFailed' });
        const h = await history(t(), exec.executionArn!);
        // The compensation preset: 1 call + 5 retries.
        expect(lambdaStates(h).filter((s) => s === 'CompensateChargePayment')).toHaveLength(6);
        expect(lambdaStates(h)).not.toContain('CompensateReserveInventory');
        expect(await header(sagaId)).toMatchObject({ status: 'COMPENSATION_FAILED', failedCompensation: 'ChargePayment' });
        const published = busEvents(t(), SAGA_COMPENSATION_FAILED.detailType).slice(before).map((e) => e.detail);
        expect(published).toEqual([expect.objectContaining({ saga: 'order', sagaId, step: 'ChargePayment', error: 'TransientError' })]);
      } finally { compFault.remove(); }
      try {
        // The operator fixed the payment provider: running the saga id again finishes the compensation.
        const resumed = await run(t(), 'order-saga', { request: { sagaId } });
        expect(resumed.status).toBe('SUCCEEDED');
        const out = JSON.parse(resumed.output!);
        expect(out.status).toBe('COMPENSATED');
        const h = await history(t(), resumed.executionArn!);
        expect(lambdaStates(h).filter((s) => s !== 'BeginRun')).toEqual(['CompensateChargePayment', 'CompensateReserveInventory']);
        expect(out.compensated).toMatchObject({ EmailReceipt: { status: 'REUSED' }, ArrangeShipment: { status: 'REUSED' }, ChargePayment: { status: 'DONE' }, ReserveInventory: { status: 'DONE' } });
        const fx = await effects(sagaId);
        expect(fx['compensation#EmailReceipt']).toBe(1);
        expect(fx['compensation#ArrangeShipment']).toBe(1);
        expect(fx['compensation#ReserveInventory']).toBe(1);
        expect((await header(sagaId))?.status).toBe('COMPENSATED');
      } finally { actionFault.remove(); }
    });

    test('a re-run of a finished saga produces no duplicate effect', async () => {
      const sagaId = uniqueId('rerun');
      const first = await run(t(), 'order-saga', { request: { sagaId } });
      const fxBefore = await effects(sagaId);
      const second = await run(t(), 'order-saga', { request: { sagaId } });
      expect(second.status).toBe('SUCCEEDED');
      const out = JSON.parse(second.output!);
      expect(Object.values(out.steps).every((s) => (s as { status: string }).status === 'REUSED')).toBe(true);
      expect(out.steps.ChargePayment.output).toEqual(JSON.parse(first.output!).steps.ChargePayment.output);
      expect(lambdaStates(await history(t(), second.executionArn!)).filter((s) => s !== 'BeginRun')).toEqual([]);
      expect(await effects(sagaId)).toEqual(fxBefore);
    });

    embeddedOnly('a re-run after a crash mid-saga resumes without repeating completed actions', async () => {
      const rt = t().runtime!;
      const sagaId = uniqueId('crash');
      // A crash: the execution is stopped while ChargePayment is in flight.
      const slow = rt.faults.inject({ target: { function: 'OrderSaga/OrderServiceFn' }, latencyMs: 60_000, times: 1, when: (i) => (i as { sagaId: string; step: string }).sagaId === sagaId && (i as { step: string }).step === 'ChargePayment' });
      const { executionArn } = await t().sfn.send(new (await import('@aws-sdk/client-sfn')).StartExecutionCommand({ stateMachineArn: t().machineArn('order-saga'), input: JSON.stringify({ request: { sagaId } }) }));
      const exec = rt.execution(executionArn!)!;
      for (let i = 0; i < 200 && !exec.history.some((e) => e.type === 'TaskStateEntered' && (e.stateEnteredEventDetails as { name: string }).name === 'ChargePayment'); i++) await new Promise((r) => setTimeout(r, 5));
      rt.stopExecution(executionArn!, 'Crash', 'worker lost');
      slow.remove();
      const again = await run(t(), 'order-saga', { request: { sagaId } });
      expect(again.status).toBe('SUCCEEDED');
      const out = JSON.parse(again.output!);
      expect(out.steps.ReserveInventory.status).toBe('REUSED');
      expect(out.steps.ChargePayment.status).toBe('DONE');
      const fx = await effects(sagaId);
      expect(fx['action#ReserveInventory']).toBe(1);
      // ChargePayment's first call never completed (the crash), so it ran once, with the same idempotency key.
      expect(fx['action#ChargePayment']).toBe(1);
    });

    test('an input without a saga id is rejected before anything is written', async () => {
      const exec = await run(t(), 'order-saga', { request: { sku: 'x' } });
      expect(exec).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      expect(entered(await history(t(), exec.executionArn!))).toEqual(['CheckInput', 'RejectInput']);
    });
  });
}
