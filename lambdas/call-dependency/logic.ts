import { InvalidInput } from '../shared/errors';
import { hashSeed } from '../validate-request/logic';

/** A call to a downstream dependency (a payment provider, a recommendation service, a partner API). */
export interface DependencyCall {
  readonly dependency: string;
  readonly requestId: string;
  readonly amount?: number;
}

export function parseDependencyCall(event: unknown): DependencyCall {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const issues: string[] = [];
  if (typeof e.dependency !== 'string' || !e.dependency) issues.push('dependency must be a non-empty string');
  if (typeof e.requestId !== 'string' || !/^[A-Za-z0-9_.:-]{1,80}$/.test(e.requestId)) issues.push('requestId must be 1-80 characters of A-Z a-z 0-9 _ . : -');
  if (e.amount !== undefined && (typeof e.amount !== 'number' || !(e.amount > 0))) issues.push('amount must be a positive number');
  if (issues.length) throw new InvalidInput(`Invalid dependency call: ${issues.join('; ')}`, issues);
  return { dependency: e.dependency as string, requestId: e.requestId as string, ...(e.amount !== undefined ? { amount: e.amount as number } : {}) };
}

/** The dependency's answer: deterministic, so results are checkable. */
export function answer(call: DependencyCall) {
  return { dependency: call.dependency, requestId: call.requestId, confirmation: `${call.dependency.slice(0, 3).toUpperCase()}-${hashSeed(`${call.dependency}:${call.requestId}`).toString(36)}`, ...(call.amount !== undefined ? { amount: call.amount } : {}) };
}
