import { ValidationError } from './errors';

/** Small typed readers for handler input; every failure names the field. */
export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

export function asString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ValidationError(`${field} must be a non-empty string`);
  return value;
}

export function asNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(`${field} must be a finite number`);
  return value;
}

export function asArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new ValidationError(`${field} must be an array`);
  return value;
}

/**
 * The detail of a Step Functions Execution Status Change event for an execution that has ended (the
 * targets of the reaper, settle and ledger-like rules); a RUNNING one is refused.
 */
export function parseEndedExecution(event: unknown): { executionArn: string; stateMachineArn?: string; status: string; stopDate?: number } {
  const detail = asObject(asObject(event, 'event').detail, 'detail');
  const status = asString(detail.status, 'detail.status');
  if (status === 'RUNNING') throw new ValidationError('detail.status: only ended executions are handled, got RUNNING');
  return {
    executionArn: asString(detail.executionArn, 'detail.executionArn'), status,
    ...(typeof detail.stateMachineArn === 'string' ? { stateMachineArn: detail.stateMachineArn } : {}),
    // Epoch milliseconds in the Execution Status Change event.
    ...(typeof detail.stopDate === 'number' ? { stopDate: detail.stopDate } : {}),
  };
}
