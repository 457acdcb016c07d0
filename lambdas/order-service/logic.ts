import { InvalidInput } from '../shared/errors';
import { idempotencyIssues, IdempotencyInput } from '../shared/idempotent-effect';

/** The order saga's services: each step is an action with a compensation that undoes it. */
export const ORDER_STEPS = ['ReserveInventory', 'ChargePayment', 'ArrangeShipment', 'EmailReceipt', 'ConfirmOrder'] as const;
export type OrderStep = (typeof ORDER_STEPS)[number];

export interface OrderServiceCall extends IdempotencyInput {
  readonly sagaId: string;
  readonly step: OrderStep;
  readonly kind: 'action' | 'compensation';
  readonly input: Record<string, unknown>;
}

export function parseOrderServiceCall(event: unknown): OrderServiceCall {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const issues: string[] = [];
  if (typeof e.sagaId !== 'string' || !e.sagaId) issues.push('sagaId must be a non-empty string');
  if (!(ORDER_STEPS as readonly unknown[]).includes(e.step)) issues.push(`step must be one of ${ORDER_STEPS.join(', ')}`);
  if (e.kind !== 'action' && e.kind !== 'compensation') issues.push('kind must be action or compensation');
  issues.push(...idempotencyIssues(e));
  if (typeof e.input !== 'object' || e.input === null) issues.push('input must be an object');
  if (issues.length) throw new InvalidInput(`Invalid order service call: ${issues.join('; ')}`, issues);
  return e as unknown as OrderServiceCall;
}

/** What the service answers; deterministic so the saga's output is checkable. */
export function orderServiceResult(call: OrderServiceCall) {
  const ref = `${call.step.replace(/[a-z]/g, '')}-${call.idempotencyKey.length.toString(36)}${call.sagaId.slice(-4)}`;
  return call.kind === 'action' ? { step: call.step, reference: ref } : { step: call.step, undone: ref };
}
