/**
 * Boot-time checks: every feature the interpreter would run wrongly (or not at all) is refused,
 * naming the state machine and the state, instead of being guessed at.
 */
import { UnsupportedFeatureError } from './errors';

export const TOKEN_PLACEHOLDER = '__ORCH_LOCAL_TASK_TOKEN__';

/** Resources the runtime dispatches (after the optional integration-pattern suffix is removed). */
export function isSupportedResource(resource: string): boolean {
  return /^arn:aws:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/.test(resource)
    || /^arn:aws:states:::(lambda:invoke|events:putEvents|states:startExecution|dynamodb:(getItem|putItem|updateItem|deleteItem)|aws-sdk:dynamodb:[a-zA-Z]+)$/.test(resource);
}

export function splitResource(resource: string): { base: string; pattern: 'request' | 'sync' | 'sync:2' | 'token' } {
  if (resource.endsWith('.waitForTaskToken')) return { base: resource.slice(0, -'.waitForTaskToken'.length), pattern: 'token' };
  if (resource.endsWith('.sync:2')) return { base: resource.slice(0, -'.sync:2'.length), pattern: 'sync:2' };
  if (resource.endsWith('.sync')) return { base: resource.slice(0, -'.sync'.length), pattern: 'sync' };
  return { base: resource, pattern: 'request' };
}

/**
 * Validates a definition and returns a copy in which `"x.$": "$$.Task.Token"` parameters are replaced
 * by a placeholder the dispatcher fills with a fresh token per task (the interpreter has no tokens).
 */
export function prepareDefinition(definition: Record<string, unknown>, machine: string): Record<string, unknown> {
  const where = (state?: string) => (state ? `state machine ${machine}, state ${state}` : `state machine ${machine}`);
  if (definition.QueryLanguage === 'JSONata') throw new UnsupportedFeatureError('QueryLanguage JSONata', where());
  const walkStates = (states: Record<string, Record<string, unknown>>) => {
    const out: Record<string, unknown> = {};
    for (const [name, state] of Object.entries(states)) {
      const w = where(name);
      if (state.QueryLanguage === 'JSONata') throw new UnsupportedFeatureError('QueryLanguage JSONata', w);
      if ('Assign' in state) throw new UnsupportedFeatureError('variables (Assign)', w);
      if ('Arguments' in state || 'Output' in state) throw new UnsupportedFeatureError('JSONata fields (Arguments/Output)', w);
      if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) throw new UnsupportedFeatureError('HeartbeatSeconds', w);
      if ('Credentials' in state) throw new UnsupportedFeatureError('cross-account Credentials', w);
      const text = JSON.stringify(state);
      // The runtime sets $$.State.Name and $$.State.EnteredTime (local/asl.ts); RetryCount is not tracked.
      if (/\$\$\.State\.(?!Name\b|EnteredTime\b)/.test(text)) throw new UnsupportedFeatureError('the context object $$.State.RetryCount', w);
      if (/\$\$\.Task\.Token/.test(text) && !checkTokenUse(state.Parameters)) {
        throw new UnsupportedFeatureError('$$.Task.Token outside a plain "key.$": "$$.Task.Token" parameter', w);
      }
      const copy: Record<string, unknown> = { ...state };
      if (state.Type === 'Task') {
        const resource = String(state.Resource);
        if (!isSupportedResource(splitResource(resource).base)) throw new UnsupportedFeatureError(`the Task resource ${resource}`, w);
        if (state.Parameters !== undefined) copy.Parameters = replaceToken(state.Parameters);
      }
      if (state.Type === 'Map') {
        const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
        const config = processor?.ProcessorConfig as { Mode?: string } | undefined;
        if (config?.Mode === 'DISTRIBUTED' || 'ItemReader' in state || 'ItemBatcher' in state || 'ResultWriter' in state) {
          throw new UnsupportedFeatureError('Distributed Map (ItemReader, ItemBatcher, ResultWriter, Mode DISTRIBUTED)', w);
        }
        if ('ToleratedFailurePercentage' in state || 'ToleratedFailureCount' in state) throw new UnsupportedFeatureError('Map tolerated failures', w);
        if (processor) copy[state.ItemProcessor ? 'ItemProcessor' : 'Iterator'] = { ...processor, States: walkStates(processor.States as Record<string, Record<string, unknown>>) };
      }
      if (state.Type === 'Parallel') {
        copy.Branches = (state.Branches as Record<string, unknown>[]).map((b) => ({ ...b, States: walkStates(b.States as Record<string, Record<string, unknown>>) }));
      }
      out[name] = copy;
    }
    return out;
  };
  return { ...definition, States: walkStates(definition.States as Record<string, Record<string, unknown>>) };
}

function checkTokenUse(params: unknown): boolean {
  if (params === null || typeof params !== 'object') return true;
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' && v.includes('$$.Task.Token') && !(k.endsWith('.$') && v === '$$.Task.Token')) return false;
    if (typeof v === 'object' && !checkTokenUse(v)) return false;
  }
  return true;
}

function replaceToken(params: unknown): unknown {
  if (Array.isArray(params)) return params.map(replaceToken);
  if (params === null || typeof params !== 'object') return params;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith('.$') && v === '$$.Task.Token') out[k.slice(0, -2)] = TOKEN_PLACEHOLDER;
    else out[k] = replaceToken(v);
  }
  return out;
}

/** Replaces every placeholder occurrence in a task input with the token. */
export function fillToken(input: unknown, token: string): unknown {
  if (input === TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(input)) return input.map((v) => fillToken(v, token));
  if (input === null || typeof input !== 'object') return input;
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, fillToken(v, token)]));
}
