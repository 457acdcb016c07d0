/**
 * Step Functions StartExecution (`arn:aws:states:::states:startExecution`, `.sync`, `.sync:2`): a
 * child execution of a machine of the app. `.sync` waits for it and answers DescribeExecution's
 * shape (Input/Output as JSON text; `.sync:2` parses them); a child that does not succeed fails the
 * task with `States.TaskFailed` and the description as the cause.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import { StatesError } from '../interpreter/errors';
import { randomUUID } from 'crypto';
import { Integration } from './registry';
import { sdkCause, sdkMetadata, stepFunctionsHeaders } from './sdk';

export interface ChildExecution {
  executionArn: string; stateMachineArn: string; name: string; status: string; startDate: number; stopDate?: number;
  input: string; output?: string; error?: string; cause?: string; done: Promise<void>;
}

export interface ExecutionStarter {
  start(req: { stateMachineArn: string; name?: string; input: string; parentArn?: string }): ChildExecution;
  stop(executionArn: string, error: string, cause: string): void;
}

export function statesIntegration(executions: ExecutionStarter): Integration {
  return {
    name: 'states',
    serves: (base) => base === 'arn:aws:states:::states:startExecution',
    takes: (arn) => arn.startsWith('arn:aws:states:'),
    async deliver(arn, input) {
      executions.start({ stateMachineArn: arn, input: JSON.stringify(input) });
    },
    async invoke(request) {
      const params = (request.parameters ?? {}) as Record<string, unknown>;
      const input = params.Input === undefined ? '{}' : typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input);
      let child: ChildExecution;
      try {
        child = executions.start({ stateMachineArn: String(params.StateMachineArn), name: params.Name as string | undefined, input, parentArn: request.execution.executionArn });
      } catch (err) {
        const e = err as Error;
        throw new StatesError(`StepFunctions.${e.name}Exception`, sdkCause(e.message, 'AWSStepFunctions', e.name));
      }
      // Recorded AWS: StartExecution's answer carries the call's HTTP metadata.
      const requestId = randomUUID();
      const body = { executionArn: child.executionArn, startDate: child.startDate / 1000 };
      const started = { ExecutionArn: child.executionArn, ...sdkMetadata(stepFunctionsHeaders(body, requestId), requestId), StartDate: child.startDate };
      // Request and callback patterns answer once the child has started (a callback task then waits
      // for its token); only `.sync` waits for the child to end.
      if (request.pattern === 'request' || request.pattern === 'token') return started;
      request.submitted(started);
      // A parent that gives up on the task (stopped, timed out) stops the child, as on AWS.
      const onAbort = () => executions.stop(child.executionArn, 'States.Aborted', `parent ${request.execution.executionArn} stopped waiting`);
      request.signal.addEventListener('abort', onAbort);
      await child.done;
      request.signal.removeEventListener('abort', onAbort);
      const v2 = request.pattern === 'sync:2';
      const described: Record<string, unknown> = {
        ExecutionArn: child.executionArn, StateMachineArn: child.stateMachineArn, Name: child.name, Status: child.status,
        StartDate: child.startDate, StopDate: child.stopDate, Input: v2 ? JSON.parse(child.input) : child.input, InputDetails: { Included: true },
        ...(child.output !== undefined ? { Output: v2 ? JSON.parse(child.output) : child.output, OutputDetails: { Included: true } } : {}),
        ...(child.error !== undefined ? { Error: child.error, Cause: child.cause } : {}),
      };
      if (child.status !== 'SUCCEEDED') throw new StatesError('States.TaskFailed', JSON.stringify(described));
      return described;
    },
  };
}
