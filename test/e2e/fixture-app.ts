/** A small CDK app synthesized into a temporary folder, for tests of the runtime's own features. */
import { App, Stack } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Builds `stackName` with `build` and synthesizes it (asset and path metadata on, as the CLI does); returns the cloud assembly folder. */
export function synthFixture(build: (stack: Stack) => void, stackName = 'Fixture'): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-fixture-'));
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
  build(new Stack(app, stackName));
  app.synth();
  return outdir;
}
