import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface RequiredField {
  /** JSONPath of the field, e.g. `$.request.orderId`. */
  readonly path: string;
  readonly type: 'string' | 'number';
}

/**
 * A Choice that checks the workflow input has the fields later states reference, before any of them
 * runs (a missing path in Parameters would be an uncatchable States.Runtime on AWS). Otherwise the run
 * fails with `InvalidInput` and a cause that lists the expected fields. Nothing is written.
 */
export function requireInput(scope: Construct, fields: readonly RequiredField[], next: sfn.IChainable, id = 'CheckInput'): sfn.Choice {
  const conditions = fields.map((f) => sfn.Condition.and(sfn.Condition.isPresent(f.path), f.type === 'string' ? sfn.Condition.isString(f.path) : sfn.Condition.isNumeric(f.path)));
  const reject = new sfn.Fail(scope, 'RejectInput', {
    error: 'InvalidInput',
    cause: `The input must have ${fields.map((f) => `${f.path} (${f.type})`).join(', ')}`,
  });
  return new sfn.Choice(scope, id).when(conditions.length === 1 ? conditions[0] : sfn.Condition.and(...conditions), next).otherwise(reject);
}
