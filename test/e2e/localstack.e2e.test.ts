import { defineBulkheadScenarios } from './bulkhead.scenarios';
import { defineCheckpointScenarios } from './checkpoint.scenarios';
import { defineCircuitBreakerScenarios } from './circuit-breaker.scenarios';
import { defineSagaScenarios } from './saga.scenarios';
import { defineScenarios } from './scenarios';
import { defineTokenBucketScenarios } from './token-bucket.scenarios';
import { definePoolScenarios } from './pool.scenarios';
import { defineBudgetScenarios } from './budget.scenarios';
import { defineTeardownScenarios } from './teardown.scenarios';
import { defineIsolationScenarios } from './isolation.scenarios';
import { defineExactlyOnceScenarios } from './exactly-once.scenarios';
import { LOCALSTACK_IMAGE, startLocalStack, Target } from './targets';

/**
 * The same scenarios against a copy deployed in LocalStack, whenever a container runtime answers
 * (probed in test/global-setup.ts). Without one the suite is skipped with the reason printed;
 * with E2E_TARGET=localstack a missing runtime is an error instead.
 */
const skipReason = process.env.ORCH_LOCALSTACK_SKIP_REASON;
let target: Target | undefined;

if (skipReason) {
  describe(`e2e on LocalStack (${LOCALSTACK_IMAGE})`, () => {
    test(`skipped: ${skipReason}`, () => {
      if (process.env.E2E_TARGET === 'localstack') throw new Error(`E2E_TARGET=localstack but ${skipReason}`);
      console.log(`LocalStack e2e suite skipped: ${skipReason}`);
    });
  });
} else {
  describe(`e2e on LocalStack (${LOCALSTACK_IMAGE})`, () => {
    beforeAll(async () => { target = await startLocalStack(); }, 900_000);
    afterAll(async () => { await target?.stop(); });
    defineScenarios(() => target!);
    defineCircuitBreakerScenarios(() => target!);
    defineCheckpointScenarios(() => target!);
    defineSagaScenarios(() => target!);
    defineBulkheadScenarios(() => target!);
    defineTokenBucketScenarios(() => target!);
    definePoolScenarios(() => target!);
    defineBudgetScenarios(() => target!);
    defineTeardownScenarios(() => target!);
    defineIsolationScenarios(() => target!);
    defineExactlyOnceScenarios(() => target!);
  });
}
