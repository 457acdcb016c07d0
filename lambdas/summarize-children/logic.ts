import { asObject, asString } from '../shared/parse';

export interface ChildStatus {
  readonly name: string;
  readonly mode: 'waited' | 'fire-and-forget';
  readonly status: string;
  /** Milliseconds from start to stop; absent for a child that was only started. */
  readonly durationMs?: number;
  readonly executionArn?: string;
  readonly eventId?: string;
  readonly error?: string;
}

export interface HierarchicalStatus {
  readonly runId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly children: ChildStatus[];
}

/** Dates in a `.sync` result are epoch milliseconds (or ISO strings from some SDK renderings). */
function toMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  return undefined;
}

function describeResult(d: Record<string, unknown>): Omit<ChildStatus, 'name' | 'mode'> {
  const start = toMs(d.StartDate);
  const stop = toMs(d.StopDate);
  return {
    status: typeof d.Status === 'string' ? d.Status : 'UNKNOWN',
    ...(start !== undefined && stop !== undefined ? { durationMs: stop - start } : {}),
    ...(typeof d.ExecutionArn === 'string' ? { executionArn: d.ExecutionArn } : {}),
  };
}

export function summarize(event: unknown): HierarchicalStatus {
  const e = asObject(event, 'input');
  const runId = asString(e.runId, 'runId');
  const waited = asObject(e.waited, 'waited');
  let waitedChild: ChildStatus;
  if (waited.error !== undefined) {
    const err = asObject(waited.error, 'waited.error');
    let described: Record<string, unknown> = {};
    // States.TaskFailed from startExecution.sync carries the child's DescribeExecution result as its cause.
    try { described = JSON.parse(String(err.Cause)); } catch { /* cause is plain text */ }
    waitedChild = { name: 'pipeline', mode: 'waited', ...describeResult(described), status: typeof described.Status === 'string' ? described.Status : 'FAILED', error: String(err.Error) };
  } else {
    waitedChild = { name: 'pipeline', mode: 'waited', ...describeResult(waited) };
  }
  const async = asObject(e.async, 'async');
  const entries = Array.isArray(async.Entries) ? async.Entries as Record<string, unknown>[] : [];
  const failedCount = typeof async.FailedEntryCount === 'number' ? async.FailedEntryCount : 0;
  const asyncChild: ChildStatus = {
    name: 'pipeline',
    mode: 'fire-and-forget',
    status: failedCount === 0 && typeof entries[0]?.EventId === 'string' ? 'STARTED' : 'NOT_STARTED',
    ...(typeof entries[0]?.EventId === 'string' ? { eventId: entries[0].EventId as string } : {}),
  };
  const children = [waitedChild, asyncChild];
  const ok = waitedChild.status === 'SUCCEEDED' && asyncChild.status === 'STARTED';
  return { runId, status: ok ? 'SUCCEEDED' : 'FAILED', children };
}
