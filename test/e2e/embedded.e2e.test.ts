import { defineScenarios } from './scenarios';
import { startAws, startEmbedded, Target } from './targets';

/** E2E_TARGET=embedded (default) or aws; the LocalStack target has its own file (it may skip). */
const targetName = process.env.E2E_TARGET ?? 'embedded';
let target: Target;

(targetName === 'localstack' ? describe.skip : describe)(`e2e on the ${targetName === 'localstack' ? 'embedded' : targetName} target`, () => {
  beforeAll(async () => { target = targetName === 'aws' ? await startAws() : await startEmbedded(); }, 60_000);
  afterAll(async () => { await target?.stop(); });
  defineScenarios(() => target);
});
