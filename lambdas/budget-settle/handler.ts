import { budgetConfig, budgetDeps } from '../budget-gate/adapter';
import { settle } from '../budget-gate/logic';
import { ValidationError } from '../shared/errors';
import { asObject, asString } from '../shared/parse';

/** Target of the Execution Status Change rule (every end status) of the workflows the budget tracks. */
export const handler = async (event: unknown) => {
  const detail = asObject(asObject(event, 'event').detail, 'detail');
  if (asString(detail.status, 'detail.status') === 'RUNNING') throw new ValidationError('settle handles ended executions only');
  return settle(asString(detail.executionArn, 'detail.executionArn'), budgetConfig, budgetDeps);
};
