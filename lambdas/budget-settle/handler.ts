import { budgetConfig, budgetDeps } from '../budget-gate/adapter';
import { settle } from '../budget-gate/logic';
import { parseEndedExecution } from '../shared/parse';

/** Target of the Execution Status Change rule (every end status) of the workflows the budget tracks. */
export const handler = async (event: unknown) => settle(parseEndedExecution(event).executionArn, budgetConfig, budgetDeps);
