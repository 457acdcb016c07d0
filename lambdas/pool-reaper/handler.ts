import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { createHash } from 'crypto';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { parseEndedExecution } from '../shared/parse';
import { poolDeps, publishPoolMetrics } from '../pool-slots/adapter';
import { dispatch, drain, parseConfig, release } from '../pool-slots/logic';
import { reapPlan } from './logic';

const config = parseConfig({ pool: requireEnv(ENV.POOL_NAME), slots: Number(requireEnv(ENV.POOL_SLOTS)), leaseSeconds: Number(requireEnv(ENV.POOL_LEASE_SECONDS)) });
const drainSeconds = Number(requireEnv(ENV.POOL_DRAIN_SECONDS));
const drainMachine = requireEnv(ENV.POOL_DRAIN_MACHINE);
const sfn = new SFNClient({});

/**
 * Target of the Step Functions Execution Status Change rule (FAILED, TIMED_OUT, ABORTED): an
 * execution that cannot release its slot itself gets it back, and leaves the queue. A FAILED run's
 * slot is freed at once; an aborted or timed-out one may still have a task in flight, so its slot is
 * drained: held until that task must have ended, then handed on by the pool's drain workflow.
 */
export const handler = async (event: unknown) => {
  const ended = parseEndedExecution(event);
  const plan = reapPlan(ended, drainSeconds, Date.now());
  if (plan.kind === 'release') {
    const result = await release({ ...config, holder: ended.executionArn, abandon: true }, poolDeps);
    publishPoolMetrics(result);
    return result;
  }
  const drained = await drain({ ...config, holder: ended.executionArn, untilMs: plan.untilMs }, poolDeps);
  if (drained.draining) {
    // One drain execution per holder (its name): a replayed event starts nothing new.
    const name = `drain-${createHash('sha256').update(ended.executionArn).digest('hex').slice(0, 40)}`;
    try {
      await sfn.send(new StartExecutionCommand({ stateMachineArn: drainMachine, name, input: JSON.stringify({ holder: ended.executionArn, until: new Date(plan.untilMs).toISOString() }) }));
    } catch (err) {
      if ((err as Error).name !== 'ExecutionAlreadyExists') throw err;
    }
  }
  logger.info(drained.draining ? 'slot drained until its in-flight work must have ended' : 'no slot held', { holder: ended.executionArn, until: new Date(plan.untilMs).toISOString(), unparked: drained.unparked });
  const summary = await dispatch(config, poolDeps); // the waiter it left may let another waiter move up
  publishPoolMetrics(summary);
  return { ...summary, ...drained, drainUntil: new Date(plan.untilMs).toISOString() };
};
