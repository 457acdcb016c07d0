import { ENV, requireEnv } from '../shared/env';
import { ValidationError } from '../shared/errors';
import { asObject, asString } from '../shared/parse';
import { poolDeps, publishPoolMetrics } from '../pool-slots/adapter';
import { parseConfig, reap } from '../pool-slots/logic';

const config = parseConfig({ pool: requireEnv(ENV.POOL_NAME), slots: Number(requireEnv(ENV.POOL_SLOTS)), leaseSeconds: Number(requireEnv(ENV.POOL_LEASE_SECONDS)) });

/**
 * Target of the Step Functions Execution Status Change rule (FAILED, TIMED_OUT, ABORTED): an
 * execution that cannot release its slot itself gets it released, and leaves the queue.
 */
export const handler = async (event: unknown) => {
  const detail = asObject(asObject(event, 'event').detail, 'detail');
  const status = asString(detail.status, 'detail.status');
  if (status === 'RUNNING') throw new ValidationError('the reaper handles ended executions only');
  const result = await reap(config, asString(detail.executionArn, 'detail.executionArn'), poolDeps);
  await publishPoolMetrics(result);
  return result;
};
