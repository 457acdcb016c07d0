import { logger } from '../shared/logger';
import { summarize } from './logic';

export const handler = async (event: unknown) => {
  const status = summarize(event);
  logger.info('children summarized', { runId: status.runId, status: status.status });
  return status;
};
