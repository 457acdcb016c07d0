import { ValidationError } from '../shared/errors';
import { asObject } from '../shared/parse';
import { poolDeps, publishPoolMetrics } from './adapter';
import { acquire, parseAcquire, parseRelease, release } from './logic';

/** `{ action: 'acquire', ..., taskToken }` (a .waitForTaskToken task) or `{ action: 'release', ... }`. */
export const handler = async (event: unknown) => {
  const action = asObject(event, 'input').action;
  const summary = action === 'acquire' ? await acquire(parseAcquire(event), poolDeps)
    : action === 'release' ? await release(parseRelease(event), poolDeps)
      : (() => { throw new ValidationError('action must be "acquire" or "release"'); })();
  publishPoolMetrics(summary);
  return summary;
};
