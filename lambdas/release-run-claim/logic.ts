/**
 * Releases a pipeline run's claim when its execution ended without succeeding. A state machine cannot
 * catch its own abort or timeout (nor a failure outside its Catch), so without this the claim stays RUNNING for the whole retention
 * and every redelivery of the request ends as a duplicate although nothing ran. Only the claim this
 * execution holds is released (conditional on its ARN and RUNNING), so a replayed event, or one that
 * arrives after the run id was claimed again, changes nothing. Pure: the store is a port.
 */
import { ValidationError } from '../shared/errors';
import { asObject, parseEndedExecution } from '../shared/parse';

export const RELEASED_STATUSES = ['FAILED', 'ABORTED', 'TIMED_OUT'] as const;
export type ReleasedStatus = (typeof RELEASED_STATUSES)[number];

export interface EndedRun { readonly executionArn: string; readonly status: ReleasedStatus; readonly runId: string; readonly stopDate?: number }

export interface ClaimStore {
  /** Sets the claim's status if `executionArn` holds it and it is RUNNING; false when it does not. */
  releaseIfHeld(runId: string, executionArn: string, status: ReleasedStatus, atIso: string): Promise<boolean>;
}

/** The Execution Status Change event of an aborted or timed-out pipeline run (its input names the run id). */
export function parseEndedRun(event: unknown): EndedRun {
  const { executionArn, status, stopDate } = parseEndedExecution(event);
  if (!(RELEASED_STATUSES as readonly string[]).includes(status)) throw new ValidationError(`detail.status must be one of ${RELEASED_STATUSES.join(', ')}, got ${status}`);
  const detail = asObject(asObject(event, 'event').detail, 'detail');
  // EventBridge carries the execution's input when it fits (inputDetails.included); the pipeline's does.
  if (typeof detail.input !== 'string') throw new ValidationError(`detail.input of ${executionArn} is not included in the event`);
  let input: unknown;
  try { input = JSON.parse(detail.input); } catch { throw new ValidationError(`detail.input of ${executionArn} is not JSON`); }
  const runId = (input as { request?: { runId?: unknown } })?.request?.runId;
  if (typeof runId !== 'string' || !runId) throw new ValidationError(`the input of ${executionArn} has no request.runId: it never claimed a run`);
  return { executionArn, status: status as ReleasedStatus, runId, ...(stopDate !== undefined ? { stopDate } : {}) };
}

export async function releaseClaim(run: EndedRun, store: ClaimStore, nowMs: number): Promise<{ runId: string; released: boolean }> {
  const released = await store.releaseIfHeld(run.runId, run.executionArn, run.status, new Date(run.stopDate ?? nowMs).toISOString());
  return { runId: run.runId, released };
}
