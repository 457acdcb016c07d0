import { beginRun } from './logic';

export const handler = async (event: unknown) => beginRun(event, Date.now());
