import * as path from 'path';
import { ensureAssembly } from '../local/runtime';
import { containerRuntimeUnavailable } from './e2e/targets';

/**
 * Once for every suite: synthesize (only when sources are newer than cdk.out), and probe for a
 * container runtime so the LocalStack suite can decide, while tests are collected, to run or skip.
 * (Environment variables set here reach the test workers.)
 */
export default async function globalSetup() {
  const projectDir = path.resolve(__dirname, '..');
  ensureAssembly(projectDir, path.join(projectDir, 'cdk.out'), 'auto');
  const reason = await containerRuntimeUnavailable();
  if (reason) process.env.ORCH_LOCALSTACK_SKIP_REASON = reason;
  else delete process.env.ORCH_LOCALSTACK_SKIP_REASON;
}
