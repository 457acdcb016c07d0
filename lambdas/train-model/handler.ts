import { logger } from '../shared/logger';
import { train } from './logic';

export const handler = async (event: unknown) => {
  const model = train(event);
  logger.info('model trained', { algorithm: model.algorithm, score: model.score });
  return model;
};
