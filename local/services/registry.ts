/**
 * The service registry: every Task resource a state machine calls, and every EventBridge rule
 * target, is dispatched through one of its integrations (one small module per service), so a
 * Lambda called asynchronously by a Task or by a rule goes the same way. Boot checks ask it whether
 * a resource is served, so a machine calling something the runtime cannot run is refused by name.
 */
import { StatesError } from '../interpreter/errors';
import { TaskRequest, TaskServices } from '../interpreter/executor';

export interface Integration {
  /** Human name for refusals: `lambda`, `dynamodb`, `events`, `states`. */
  readonly name: string;
  /** True when this integration serves the resource (without its `.sync` / `.waitForTaskToken` suffix). */
  serves(base: string): boolean;
  /** Boot-time check of one Task state: returns a reason when it cannot be run faithfully. */
  refuse?(base: string, state: Record<string, unknown>): string | undefined;
  invoke(request: TaskRequest): Promise<unknown>;
  /** True when this integration takes EventBridge rule targets with this ARN. */
  takes?(targetArn: string): boolean;
  /** Delivers a rule target's event (resolves once the service has accepted it). */
  deliver?(targetArn: string, input: unknown): Promise<void>;
}

export class ServiceRegistry implements TaskServices {
  private readonly integrations: Integration[] = [];

  register(integration: Integration): this {
    this.integrations.push(integration);
    return this;
  }

  find(base: string): Integration | undefined {
    return this.integrations.find((i) => i.serves(base));
  }

  /** Delivers an EventBridge rule target's event through the integration that takes its ARN. */
  deliver(targetArn: string, input: unknown): Promise<void> {
    const integration = this.integrations.find((i) => i.takes?.(targetArn));
    if (!integration?.deliver) return Promise.reject(Object.assign(new Error(`local runtime cannot deliver to ${targetArn}`), { name: 'ValidationException' }));
    return integration.deliver(targetArn, input);
  }

  invoke(request: TaskRequest): Promise<unknown> {
    const integration = this.find(request.base);
    if (!integration) return Promise.reject(new StatesError('States.Runtime', `local runtime: unsupported resource ${request.resource}`));
    return integration.invoke(request);
  }
}
