#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrchestrationStack } from '../lib/orchestration-stack';

/** The app with cdk-nag's AwsSolutions checks; the stack acknowledges its accepted findings itself (lib/nag.ts). */
export function buildApp(app = new App()): { app: App; stack: OrchestrationStack } {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new OrchestrationStack(app, app.node.tryGetContext('stackName') ?? 'Orchestration', {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  return { app, stack };
}

if (require.main === module) buildApp().app.synth();
