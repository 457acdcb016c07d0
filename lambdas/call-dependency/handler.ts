import { logger } from '../shared/logger';
import { answer, parseDependencyCall } from './logic';

export const handler = async (event: unknown) => {
  const result = answer(parseDependencyCall(event));
  logger.info('dependency answered', { dependency: result.dependency, requestId: result.requestId });
  return result;
};
