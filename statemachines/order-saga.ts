import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PREFIX } from '../lib/state/keys';
import { ENV } from '../lambdas/shared/env';
import { requireInput } from '../lib/patterns/input-check';
import { Saga } from '../lib/patterns/saga';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface OrderSagaWorkflowProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
}

/**
 * `order-saga` (saga): reserve inventory -> charge payment -> { arrange shipment || email receipt } ->
 * confirm order, each with a compensation. Input `{ request: { sagaId, ... } }`.
 */
export class OrderSagaWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly saga: Saga;

  constructor(scope: Construct, id: string, props: OrderSagaWorkflowProps) {
    super(scope, id);
    const service = new TaskFunction(this, 'OrderServiceFn', { handlerDir: 'order-service', environment: { [ENV.STATE_TABLE]: props.table.tableName } });
    // Least privilege: the demo services write only their own effect items (EFFECT#saga#<sagaId>).
    service.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:UpdateItem'], resources: [props.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PREFIX.effect}saga#*`] } },
    }));
    const step = (name: string) => ({ name, action: service.function, compensation: service.function });
    this.saga = new Saga(this, 'Saga', {
      table: props.table, bus: props.bus, sagaName: 'order', logRetention: Duration.days(30),
      // The services' way of saying no (out of stock, card declined): nothing was done.
      refusalErrors: ['OrderRejected'],
      steps: [step('ReserveInventory'), step('ChargePayment'), { name: 'Fulfil', parallel: [step('ArrangeShipment'), step('EmailReceipt')] }, step('ConfirmOrder')],
    });
    const definition = requireInput(this, [{ path: '$.request.sagaId', type: 'string' }], this.saga.definition);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'order-saga', definition, timeout: Duration.hours(2) }).stateMachine;
  }
}
