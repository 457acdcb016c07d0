import { PayloadTooLarge } from './errors';

/** Step Functions' payload quota per state input/output (256 KB). */
export const STEP_FUNCTIONS_PAYLOAD_LIMIT = 256 * 1024;

/**
 * Refuses an output that would not fit in a Step Functions payload, with a named, catchable error,
 * instead of letting the service fail the execution with the terminal (uncatchable)
 * States.DataLimitExceeded. `margin` leaves room for the rest of the workflow state.
 */
export function ensurePayloadFits<T>(step: string, output: T, margin = 16 * 1024): T {
  const bytes = Buffer.byteLength(JSON.stringify(output ?? null));
  const limit = STEP_FUNCTIONS_PAYLOAD_LIMIT - margin;
  if (bytes > limit) throw new PayloadTooLarge(step, bytes, limit);
  return output;
}
