import { ValidationError } from '../shared/errors';
import { asObject } from '../shared/parse';
import { poolDeps, publishPoolMetrics } from './adapter';
import { acquire, dispatch, parseAcquire, parseConfig, parseRelease, release } from './logic';

/**
 * `{ action: 'acquire', ..., taskToken }` (a .waitForTaskToken task), `{ action: 'release', ... }`, or
 * `{ action: 'dispatch', ... }` (the drain workflow, once a drained holder's lease has run out).
 */
export const handler = async (event: unknown) => {
  const action = asObject(event, 'input').action;
  const summary = action === 'acquire' ? await acquire(parseAcquire(event), poolDeps)
    : action === 'release' ? await release(parseRelease(event), poolDeps)
      : action === 'dispatch' ? await dispatch(parseConfig(asObject(event, 'input')), poolDeps)
        : (() => { throw new ValidationError('action must be "acquire", "release" or "dispatch"'); })();
  publishPoolMetrics(summary);
  return summary;
};
