import { ValidationError } from '../shared/errors';
import { asObject, asString } from '../shared/parse';
import { keys, ItemKey } from '../../lib/state/keys';
import { EXECUTION_STATUS_CHANGE } from '../../lib/events';

/** The part of an EventBridge "Step Functions Execution Status Change" event the ledger keeps. */
export interface ExecutionStatus {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  readonly startDate?: number;
  readonly stopDate?: number;
  readonly error?: string;
}

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

export function parseStatusChange(event: unknown): ExecutionStatus {
  const e = asObject(event, 'event');
  if (e['detail-type'] !== EXECUTION_STATUS_CHANGE.detailType) {
    throw new ValidationError(`detail-type must be "${EXECUTION_STATUS_CHANGE.detailType}", got ${JSON.stringify(e['detail-type'])}`);
  }
  const d = asObject(e.detail, 'detail');
  const status = asString(d.status, 'detail.status');
  if (!STATUSES.includes(status)) throw new ValidationError(`detail.status ${status} is not an execution status`);
  return {
    executionArn: asString(d.executionArn, 'detail.executionArn'),
    stateMachineArn: asString(d.stateMachineArn, 'detail.stateMachineArn'),
    name: asString(d.name, 'detail.name'),
    status: status as ExecutionStatus['status'],
    ...(typeof d.startDate === 'number' ? { startDate: d.startDate } : {}),
    ...(typeof d.stopDate === 'number' ? { stopDate: d.stopDate } : {}),
    ...(typeof d.error === 'string' ? { error: d.error } : {}),
  };
}

export interface LedgerStore {
  /** Writes unless a terminal status is already recorded (events may arrive out of order). */
  putUnlessTerminal(item: ItemKey & Record<string, unknown>): Promise<boolean>;
}

export async function recordStatus(status: ExecutionStatus, store: LedgerStore, nowMs: number, ttlSeconds: number) {
  const item = { ...keys.execution(status.executionArn), ...status, recordedAt: nowMs, expiresAt: Math.floor(nowMs / 1000) + ttlSeconds };
  const written = await store.putUnlessTerminal(item);
  return { executionArn: status.executionArn, status: status.status, written };
}
