import * as path from 'path';
import { ensureAssembly } from '../local/runtime';

/** Synthesize once for every suite (only when sources are newer than cdk.out). */
export default async function globalSetup() {
  const projectDir = path.resolve(__dirname, '..');
  ensureAssembly(projectDir, path.join(projectDir, 'cdk.out'), 'auto');
}
