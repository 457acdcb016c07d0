/**
 * What the reaper does with an ended execution. FAILED: the run's states have all stopped, so its slot
 * is freed at once. ABORTED / TIMED_OUT: Step Functions stops the execution but not a Lambda that is
 * running (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html),
 * so the slot is drained until the stop plus the work's longest single attempt.
 */
export type ReapPlan = { readonly kind: 'release' } | { readonly kind: 'drain'; readonly untilMs: number };

export function reapPlan(ended: { status: string; stopDate?: number }, drainSeconds: number, nowMs: number): ReapPlan {
  if (ended.status !== 'ABORTED' && ended.status !== 'TIMED_OUT') return { kind: 'release' };
  const untilMs = (ended.stopDate ?? nowMs) + drainSeconds * 1000;
  return untilMs <= nowMs ? { kind: 'release' } : { kind: 'drain', untilMs };
}
