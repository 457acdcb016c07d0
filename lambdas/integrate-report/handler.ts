import { logger } from '../shared/logger';
import { integrate } from './logic';

export const handler = async (event: unknown) => {
  const report = integrate(event, Date.now());
  logger.info('report built', { runId: report.runId, bestModel: report.bestModel });
  return report;
};
