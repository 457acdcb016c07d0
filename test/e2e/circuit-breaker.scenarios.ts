/**
 * Circuit breaker (`payments`) and graceful degradation (`checkout`). The circuit is shared state,
 * so the breaker scenarios run in order. Failures come from the runtime's fault injection, so
 * these scenarios need the embedded target; each says so and is skipped elsewhere.
 */
import { CIRCUIT_STATE_CHANGED, WORKFLOW_DEGRADED } from '../../lib/events';
import { keys } from '../../lib/state/keys';
import { busEvents, entered, finish, finishAll, getItem, history, lambdaStates, run, start, uniqueId, waitUntil, embeddedOnlyTest } from './helpers';
import { Target } from './targets';

export function defineCircuitBreakerScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const charge = (label: string) => ({ request: { orderId: uniqueId(label), amount: 42.5 } });
  const circuit = () => getItem(t(), keys.circuit('payments'));
  const transitions = (dependency: string) => busEvents(t(), CIRCUIT_STATE_CHANGED.detailType)
    .map((e) => e.detail as { dependency: string; from: string; to: string })
    .filter((d) => d.dependency === dependency).map((d) => `${d.from}->${d.to}`);

  describe('circuit breaker (payments)', () => {
    test('a charge on a closed circuit calls the dependency once and writes no circuit state', async () => {
      const exec = await run(t(), 'payments', charge('ok'), 0);
      expect(exec.status).toBe('SUCCEEDED');
      expect(JSON.parse(exec.output!).charge.confirmation).toMatch(/^PAY-/);
      const h = await history(t(), exec.executionArn!);
      expect(entered(h)).toEqual(['CheckInput', 'CheckPaymentsCircuit', 'RoutePaymentsCall', 'CallPayments', 'ChargePayment', 'UsePaymentsResult', 'WasPaymentsProbe', 'PaymentsProtected', 'Charged']);
      expect(lambdaStates(h)).toEqual(['ChargePayment']);
      expect(await circuit()).toBeUndefined();
    });

    test('an invalid request fails with InvalidInput and counts as no dependency failure', async () => {
      const bad = await run(t(), 'payments', { request: { orderId: 'o 1', amount: -3 } }, 0);
      expect(bad).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      const missing = await run(t(), 'payments', { request: { amount: 3 } }, 0);
      expect(missing).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      expect(entered(await history(t(), missing.executionArn!))).toEqual(['CheckInput', 'RejectInput']);
      expect(await circuit()).toBeUndefined();
    });

    embeddedOnly('failures reach the threshold and the circuit opens', async () => {
      const rt = t().runtime!;
      const fault = rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, error: { name: 'TransientError', message: 'payments provider 503' }, times: 5 });
      try {
        for (let i = 1; i <= 5; i++) {
          const exec = await run(t(), 'payments', charge('fail'), 0);
          expect(exec).toMatchObject({ status: 'FAILED', error: 'TransientError' });
          expect((await circuit())?.circuitState).toBe(i < 5 ? 'CLOSED' : 'OPEN');
        }
        const item = await circuit();
        expect(item).toMatchObject({ circuitState: 'OPEN', failures: [] });
        expect(Date.parse(item!.openUntil)).toBe(Date.parse(item!.updatedAt) + 30_000);
        expect(transitions('payments')).toEqual(['CLOSED->OPEN']);
      } finally { fault.remove(); }
    });

    embeddedOnly('calls while OPEN fail fast with CircuitOpen and never invoke the dependency', async () => {
      const fn = t().runtime!.fn('PaymentsWorkflow/PaymentsApiFn');
      const before = fn.invocations;
      const execs = await Promise.all([1, 2, 3].map(() => run(t(), 'payments', charge('open'), 0)));
      for (const exec of execs) {
        expect(exec).toMatchObject({ status: 'FAILED', error: 'CircuitOpen' });
        const h = await history(t(), exec.executionArn!);
        expect(entered(h)).toEqual(['CheckInput', 'CheckPaymentsCircuit', 'RoutePaymentsCall', 'PaymentsCircuitOpen']);
        expect(lambdaStates(h)).toEqual([]);
      }
      expect(fn.invocations).toBe(before);
    });

    embeddedOnly('after the cooldown, 20 concurrent executions produce exactly one probe, and its success closes the circuit', async () => {
      const rt = t().runtime!;
      const fn = rt.fn('PaymentsWorkflow/PaymentsApiFn');
      const before = fn.invocations;
      await rt.clock.advance(30_000);
      // The probe takes 2 s, so the other 19 all arrive while it is in flight.
      const slow = rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, latencyMs: 2_000, times: 1 });
      try {
        const arns = await Promise.all(Array.from({ length: 20 }, () => start(t(), 'payments', charge('probe'))));
        await waitUntil(t(), '19 rejections', async () => {
          const ended = await Promise.all(arns.map((a) => rt.execution(a)!.status));
          return ended.filter((s) => s === 'FAILED').length === 19 ? true : undefined;
        }, 0);
        expect((await circuit())).toMatchObject({ circuitState: 'HALF_OPEN' });
        await rt.clock.advance(2_000);
        const execs = await Promise.all(arns.map((a) => finish(t(), a, 0)));
        expect(execs.filter((e) => e.status === 'SUCCEEDED')).toHaveLength(1);
        expect(execs.filter((e) => e.status === 'FAILED').every((e) => e.error === 'CircuitOpen')).toBe(true);
        expect(fn.invocations - before).toBe(1);
        const probe = execs.find((e) => e.status === 'SUCCEEDED')!;
        expect(entered(await history(t(), probe.executionArn!))).toEqual(expect.arrayContaining(['AcquirePaymentsProbe', 'PublishPaymentsHalfOpen', 'ChargePayment', 'ClosePaymentsCircuit', 'PublishPaymentsClosed']));
        expect(await circuit()).toMatchObject({ circuitState: 'CLOSED', failures: [] });
        expect(transitions('payments')).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
        expect(slow.hits).toBe(1);
      } finally { slow.remove(); }
    });

    embeddedOnly('a failed probe re-opens the circuit for another cooldown', async () => {
      const rt = t().runtime!;
      const fault = rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, error: { name: 'TransientError', message: 'still down' }, times: 6 });
      try {
        for (let i = 0; i < 5; i++) await run(t(), 'payments', charge('reopen'), 0);
        expect((await circuit())?.circuitState).toBe('OPEN');
        await rt.clock.advance(30_000);
        const probe = await run(t(), 'payments', charge('probe-fails'), 0);
        expect(probe).toMatchObject({ status: 'FAILED', error: 'TransientError' });
        expect(entered(await history(t(), probe.executionArn!))).toEqual(expect.arrayContaining(['AcquirePaymentsProbe', 'ChargePayment', 'RecordPaymentsFailure', 'PublishPaymentsOpened']));
        const item = await circuit();
        expect(item?.circuitState).toBe('OPEN');
        expect(Date.parse(item!.openUntil)).toBeGreaterThanOrEqual(rt.clock.now() + 29_000);
        expect(transitions('payments').slice(-3)).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->OPEN']);
        expect(fault.hits).toBe(6);
        const next = await run(t(), 'payments', charge('after-reopen'), 0);
        expect(next.error).toBe('CircuitOpen');
      } finally { fault.remove(); }
      // Leave the circuit closed for later scenarios: the next probe succeeds.
      await rt.clock.advance(30_000);
      expect((await run(t(), 'payments', charge('heal'), 0)).status).toBe('SUCCEEDED');
    });

    embeddedOnly('concurrent failures open the circuit exactly once', async () => {
      const rt = t().runtime!;
      const fault = rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, error: { name: 'TransientError', message: 'burst' }, times: 12 });
      const opensBefore = transitions('payments').filter((x) => x === 'CLOSED->OPEN').length;
      try {
        const execs = await Promise.all(Array.from({ length: 12 }, () => run(t(), 'payments', charge('burst'), 0)));
        expect(execs.every((e) => e.status === 'FAILED')).toBe(true);
        expect((await circuit())?.circuitState).toBe('OPEN');
        expect(transitions('payments').filter((x) => x === 'CLOSED->OPEN').length - opensBefore).toBe(1);
      } finally { fault.remove(); }
      await rt.clock.advance(30_000);
      expect((await run(t(), 'payments', charge('heal2'), 0)).status).toBe('SUCCEEDED');
    });
    /** Opens the payments circuit with `threshold` failures, then lets its cooldown pass. */
    const openAndCoolDown = async () => {
      const rt = t().runtime!;
      const fault = rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, error: { name: 'TransientError', message: 'down' }, times: 5 });
      try {
        for (let i = 0; i < 5 && (await circuit())?.circuitState !== 'OPEN'; i++) await run(t(), 'payments', charge('open-it'), 0);
      } finally { fault.remove(); }
      expect((await circuit())?.circuitState).toBe('OPEN');
      await rt.clock.advance(30_000);
    };

    embeddedOnly('a caller whose probe request lands after the probe closed the circuit calls the dependency and succeeds', async () => {
      const rt = t().runtime!;
      const api = rt.fn('PaymentsWorkflow/PaymentsApiFn');
      await openAndCoolDown();
      // The late caller's AcquirePaymentsProbe is held 5 s; meanwhile another caller probes and closes.
      const late = rt.faults.inject({ target: { function: 'Payments/TransitionFn' }, latencyMs: 5_000, times: 1, when: (i) => (i as { op: string }).op === 'acquireProbe' });
      try {
        const lateArn = await start(t(), 'payments', charge('late'));
        await waitUntil(t(), 'the late acquire to be held', async () => (late.hits === 1 ? true : undefined), 0);
        const before = api.invocations;
        const probe = await run(t(), 'payments', charge('prober'), 0);
        expect(probe.status).toBe('SUCCEEDED');
        expect((await circuit())?.circuitState).toBe('CLOSED');
        await rt.clock.advance(5_000);
        const exec = await finish(t(), lateArn, 0);
        // Before the fix: FAILED with States.Runtime ($.circuits.Payments.probe.granted was overwritten).
        expect(exec.status).toBe('SUCCEEDED');
        const h = await history(t(), lateArn);
        expect(entered(h)).toEqual(['CheckInput', 'CheckPaymentsCircuit', 'RoutePaymentsCall', 'AcquirePaymentsProbe', 'IsPaymentsProbeGranted',
          'CallPayments', 'ChargePayment', 'UsePaymentsResult', 'WasPaymentsProbe', 'PaymentsProtected', 'Charged']);
        expect(api.invocations - before).toBe(2);
        expect(await circuit()).toMatchObject({ circuitState: 'CLOSED', failures: [] });
      } finally { late.remove(); }
    });

    for (const [round, probeFails] of [[1, false], [2, true], [3, false]] as const) {
      embeddedOnly(`round ${round}: 100 callers released together at the end of a cooldown (probe ${probeFails ? 'fails' : 'succeeds'}) each end in exactly one promised way`, async () => {
        const rt = t().runtime!;
        const api = rt.fn('PaymentsWorkflow/PaymentsApiFn');
        await openAndCoolDown();
        const orders = new Set<string>();
        // One in three acquires is held 1 s, so some land while the probe is out and some after it answered.
        let n = 0;
        const held = rt.faults.inject({ target: { function: 'Payments/TransitionFn' }, latencyMs: 1_000, when: (i) => (i as { op: string }).op === 'acquireProbe' && n++ % 3 === 0 });
        const probeFault = probeFails ? rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, error: { name: 'TransientError', message: 'probe fails' }, times: 1 }) : undefined;
        const calls: string[] = [];
        const spy = rt.faults.inject({ target: { function: 'PaymentsWorkflow/PaymentsApiFn' }, latencyMs: 0, when: (i) => { calls.push((i as { requestId: string }).requestId); return false; } });
        try {
          const before = api.invocations;
          const arns = await Promise.all(Array.from({ length: 100 }, () => {
            const input = charge(`herd${round}`);
            orders.add(input.request.orderId);
            return start(t(), 'payments', input);
          }));
          const execs = await finishAll(t(), arns, 500);
          const by = (pred: (e: (typeof execs)[number]) => boolean) => execs.filter(pred).length;
          const succeeded = by((e) => e.status === 'SUCCEEDED');
          const open = by((e) => e.error === 'CircuitOpen');
          const failed = by((e) => e.error === 'TransientError');
          // Every caller ends as the README promises: charged (SUCCEEDED), refused without a call
          // (CircuitOpen), or the probe's own failure. Never States.Runtime.
          expect({ other: execs.length - succeeded - open - failed }).toEqual({ other: 0 });
          expect(execs.some((e) => e.error === 'States.Runtime')).toBe(false);
          expect(failed).toBe(probeFails ? 1 : 0);
          if (!probeFails) expect(succeeded).toBeGreaterThanOrEqual(1);
          // A dependency call for each success and each failed probe, no more.
          expect(api.invocations - before).toBe(succeeded + failed);
          expect(new Set(calls).size).toBe(calls.length);
          const item = await circuit();
          expect(item?.circuitState).toBe(probeFails ? 'OPEN' : 'CLOSED');
          // Exactly one probe per round: one HALF_OPEN transition published.
          const halfOpens = execs.length ? (await Promise.all(arns.map((a) => history(t(), a)))).filter((h) => entered(h).includes('PublishPaymentsHalfOpen')).length : 0;
          expect(halfOpens).toBe(1);
        } finally { held.remove(); probeFault?.remove(); spy.remove(); }
        if (probeFails) { await rt.clock.advance(30_000); expect((await run(t(), 'payments', charge('heal-herd'), 0)).status).toBe('SUCCEEDED'); }
      });
    }
  });

  describe('graceful degradation (checkout)', () => {
    const order = (label: string) => ({ request: { orderId: uniqueId(label) } });
    const degradedEvents = () => busEvents(t(), WORKFLOW_DEGRADED.detailType);

    test('all steps answer: the run is not degraded', async () => {
      const exec = await run(t(), 'checkout', order('full'), 0);
      expect(exec.status).toBe('SUCCEEDED');
      const out = JSON.parse(exec.output!);
      expect(out).toMatchObject({ degraded: false, recommendations: { dependency: 'recommendations' }, loyaltyPoints: { dependency: 'loyalty' }, price: { dependency: 'pricing' } });
      expect(out.degradation).toBeUndefined();
      expect(entered(await history(t(), exec.executionArn!))).toContain('MarkNotDegraded');
    });

    embeddedOnly('an optional step that times out degrades the run, which still succeeds and says why', async () => {
      const rt = t().runtime!;
      const before = degradedEvents().length;
      const slow = rt.faults.inject({ target: { function: 'Checkout/LoyaltyFn' }, latencyMs: 60_000, times: 1 });
      try {
        const arn = await start(t(), 'checkout', order('slow-loyalty'));
        const exec = await finish(t(), arn, 1000);
        expect(exec.status).toBe('SUCCEEDED');
        const out = JSON.parse(exec.output!);
        expect(out.degraded).toBe(true);
        expect(out.degradation.LoyaltyPoints.Error).toBe('States.Timeout');
        expect(out.loyaltyPoints).toEqual({ points: 0, source: 'fallback' });
        expect(out.recommendations.dependency).toBe('recommendations');
        const events = degradedEvents().slice(before).map((e) => e.detail as { executionArn: string; reasons: Record<string, unknown> });
        expect(events).toHaveLength(1);
        expect(events[0].executionArn).toBe(arn);
        expect(Object.keys(events[0].reasons)).toEqual(['LoyaltyPoints']);
      } finally { slow.remove(); }
    });

    embeddedOnly('an open circuit on an optional step gives the fallback without calling it', async () => {
      const rt = t().runtime!;
      const fn = rt.fn('Checkout/RecommendationsFn');
      const fault = rt.faults.inject({ target: { function: 'Checkout/RecommendationsFn' }, error: { name: 'TransientError', message: 'recs down' }, times: 3 });
      try {
        for (let i = 0; i < 3; i++) {
          const exec = await run(t(), 'checkout', order('recs-fail'), 0);
          expect(JSON.parse(exec.output!)).toMatchObject({ degraded: true, degradation: { Recommendations: { Error: 'TransientError' } } });
        }
        const before = fn.invocations;
        const exec = await run(t(), 'checkout', order('recs-open'), 0);
        expect(exec.status).toBe('SUCCEEDED');
        const out = JSON.parse(exec.output!);
        expect(out.degradation.Recommendations.Error).toBe('CircuitOpen');
        expect(out.recommendations).toEqual({ items: [], source: 'fallback' });
        expect(fn.invocations).toBe(before);
        expect(transitions('recommendations')).toEqual(['CLOSED->OPEN']);
      } finally { fault.remove(); }
    });

    embeddedOnly('a critical step that fails still fails the run', async () => {
      const rt = t().runtime!;
      const fault = rt.faults.inject({ target: { function: 'Checkout/PricingFn' }, error: { name: 'ValidationError', message: 'no price list for region' }, times: 1 });
      try {
        const exec = await run(t(), 'checkout', order('no-price'), 0);
        expect(exec).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
        expect(entered(await history(t(), exec.executionArn!))).not.toContain('TryRecommendations');
      } finally { fault.remove(); }
    });
  });
}
