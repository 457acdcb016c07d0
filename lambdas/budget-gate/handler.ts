import { budgetConfig, budgetDeps } from './adapter';
import { gate, parseGate } from './logic';

export const handler = async (event: unknown) => gate(parseGate(event), budgetConfig, budgetDeps);
