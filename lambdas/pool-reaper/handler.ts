import { ENV, requireEnv } from '../shared/env';
import { parseEndedExecution } from '../shared/parse';
import { poolDeps, publishPoolMetrics } from '../pool-slots/adapter';
import { parseConfig, release } from '../pool-slots/logic';

const config = parseConfig({ pool: requireEnv(ENV.POOL_NAME), slots: Number(requireEnv(ENV.POOL_SLOTS)), leaseSeconds: Number(requireEnv(ENV.POOL_LEASE_SECONDS)) });

/**
 * Target of the Step Functions Execution Status Change rule (FAILED, TIMED_OUT, ABORTED): an
 * execution that cannot release its slot itself gets it released, and leaves the queue.
 */
export const handler = async (event: unknown) => {
  const { executionArn } = parseEndedExecution(event);
  const result = await release({ ...config, holder: executionArn, abandon: true }, poolDeps);
  publishPoolMetrics(result);
  return result;
};
