import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RETRY_PRESETS, RetryPreset } from '../../lambdas/shared/retry-presets';

/** Turns a shared retry preset (lambdas/shared/retry-presets.ts) into CDK RetryProps. */
export function retryProps(preset: RetryPreset = RETRY_PRESETS.transient): sfn.RetryProps {
  return {
    errors: [...preset.errors],
    interval: Duration.seconds(preset.intervalSeconds),
    maxAttempts: preset.maxAttempts,
    backoffRate: preset.backoffRate,
    maxDelay: Duration.seconds(preset.maxDelaySeconds),
    jitterStrategy: preset.jitter === 'FULL' ? sfn.JitterType.FULL : sfn.JitterType.NONE,
  };
}
