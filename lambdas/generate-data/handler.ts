import { logger } from '../shared/logger';
import { generateDataset, parseGenerateInput } from './logic';

export const handler = async (event: unknown) => {
  const { dataset, records, seed } = parseGenerateInput(event);
  const summary = generateDataset(dataset, records, seed);
  logger.info('dataset generated', { dataset, records });
  return summary;
};
