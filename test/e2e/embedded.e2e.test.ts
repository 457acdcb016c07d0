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
import { startAws, startEmbedded, Target } from './targets';

/** E2E_TARGET=embedded (default) or aws. LocalStack has its own file, which runs when it can. */
const targetName = process.env.E2E_TARGET === 'aws' ? 'aws' : 'embedded';
let target: Target;

(process.env.E2E_TARGET === 'localstack' ? describe.skip : describe)(`e2e on the ${targetName} target`, () => {
  beforeAll(async () => { target = targetName === 'aws' ? await startAws() : await startEmbedded(); }, 60_000);
  afterAll(async () => { await target?.stop(); });
  defineScenarios(() => target);
  defineCircuitBreakerScenarios(() => target);
  defineCheckpointScenarios(() => target);
  defineSagaScenarios(() => target);
  defineBulkheadScenarios(() => target);
  defineTokenBucketScenarios(() => target);
  definePoolScenarios(() => target);
  defineBudgetScenarios(() => target);
  defineTeardownScenarios(() => target);
  defineIsolationScenarios(() => target);
  defineExactlyOnceScenarios(() => target);
});
