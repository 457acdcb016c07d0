import { logger } from '../shared/logger';
import { asObject } from '../shared/parse';
import { analyze } from './logic';

export const handler = async (event: unknown) => {
  const analysis = analyze(asObject(event, 'input').datasets);
  logger.info('analysis done', { totalRecords: analysis.totalRecords });
  return analysis;
};
