import { ENV } from '../shared/env';
import { logger } from '../shared/logger';
import { validateRequest } from './logic';

const ttlSeconds = Number(process.env[ENV.RUN_TTL_SECONDS] ?? 7 * 24 * 3600);

export const handler = async (event: unknown) => {
  const request = validateRequest(event, Date.now(), ttlSeconds);
  logger.info('request validated', { runId: request.runId });
  return request;
};
