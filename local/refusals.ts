/**
 * Boot-time refusals: a feature the runtime cannot run as AWS does is refused, naming the state
 * machine, the state and the feature, instead of being approximated.
 */
import { UnsupportedFeatureError } from './errors';
import { splitResource } from './interpreter/executor';

type State = Record<string, unknown>;

/**
 * Walks every state (inside Parallel branches and Map processors too). `taskCheck` answers, for a
 * Task's resource without its integration suffix, why it cannot be run, or undefined.
 */
export function refuseUnsupported(definition: Record<string, unknown>, machine: string, taskCheck: (base: string, state: State) => string | undefined): void {
  const walk = (states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      const where = `state machine ${machine}, state ${name}`;
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        if (resource.startsWith('arn:aws:states:') && /:activity:/.test(resource)) throw new UnsupportedFeatureError(`the activity ${resource}`, where);
        const reason = taskCheck(splitResource(resource).base, state);
        if (reason) throw new UnsupportedFeatureError(reason, where);
      }
      if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as State;
        // Reading items from S3 and writing results to S3 need a bucket the runtime does not have.
        if ('ItemReader' in state) throw new UnsupportedFeatureError('a Distributed Map ItemReader (items read from S3)', where);
        if ('ResultWriter' in state) throw new UnsupportedFeatureError('a Distributed Map ResultWriter (results written to S3)', where);
        walk(processor.States as Record<string, State>);
      }
      if (state.Type === 'Parallel') for (const b of state.Branches as State[]) walk(b.States as Record<string, State>);
    }
  };
  walk(definition.States as Record<string, State>);
}
