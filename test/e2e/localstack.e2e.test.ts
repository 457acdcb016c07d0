import { defineScenarios } from './scenarios';
import { containerRuntimeUnavailable, LOCALSTACK_IMAGE, startLocalStack, Target } from './targets';

/**
 * The same scenarios against a deployed copy in LocalStack. Runs when a container runtime answers
 * (set E2E_TARGET=localstack to make a missing runtime an error instead of a skip).
 */
let target: Target | undefined;
let skipReason: string | undefined;

describe(`e2e on LocalStack (${LOCALSTACK_IMAGE})`, () => {
  beforeAll(async () => {
    skipReason = await containerRuntimeUnavailable();
    if (skipReason) {
      if (process.env.E2E_TARGET === 'localstack') throw new Error(`E2E_TARGET=localstack but ${skipReason}`);
      console.log(`LocalStack e2e suite skipped: ${skipReason}`);
      return;
    }
    target = await startLocalStack();
  }, 600_000);
  afterAll(async () => { await target?.stop(); });

  test('LocalStack target is available or the skip reason is printed', () => {
    expect(target !== undefined || (skipReason ?? '').length > 0).toBe(true);
  });

  describe('scenarios', () => {
    if (process.env.E2E_TARGET === 'localstack' || process.env.CONTAINER_RUNTIME === '1') defineScenarios(() => target!);
  });
});
