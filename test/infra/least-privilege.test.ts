import { App, CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import * as fs from 'fs';
import * as path from 'path';
import { buildApp } from '../../bin/app';
import { NO_RESOURCE_LEVEL_ACTIONS } from '../../lib/nag';

/*
 * Every IAM role of the synthesized app, and every statement attached to it, against one table of
 * what each role may do. A role without an entry fails (with its path and its statements, ready to
 * be turned into an entry), a statement the entry does not allow fails, and so does an entry that
 * grants more than the role has (the table stays exact).
 *
 * To add a role: add a line to ROLES with its path (relative to the stack; `*` is one path segment
 * or part of one, `**` any number, `{A,B}` either) and its grants, built from the kinds below.
 */

// Synthesized as `cdk deploy` would (cdk.json's feature flags, minimizePolicies among them), without bundling.
const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
const { stack } = buildApp(new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } }));
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

/** Construct path relative to the stack, without the L1's trailing `/Resource`, by logical ID. */
const pathOf = new Map(stack.node.findAll().filter(CfnResource.isCfnResource)
  .map((r) => [stack.resolve(r.logicalId) as string, r.node.path.slice(stack.node.path.length + 1).replace(/\/Resource$/, '')]));

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^$()|[\]\\]/g, '\\$&')
  .replace(/\{([^}]*)\}/g, (_, alts: string) => `(?:${alts.split(',').join('|')})`)
  .replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);

// ---------------------------------------------------------------------------------------------
// Resource kinds: what a statement's Resource may be. `self` is the path of the role's owner
// (the role's path without `/Role`), for the kinds that mean "its own".

interface Kind { readonly describe: string; matches(resource: unknown, self: string): boolean }
const getAtt = (r: unknown, attr = 'Arn'): string | undefined => {
  const g = (r as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt'];
  return g && g[1] === attr ? g[0] : undefined;
};
const ref = (r: unknown): string | undefined => (r as { Ref?: string })?.Ref;
const typeIs = (logicalId: string | undefined, type: string) => logicalId !== undefined && resources[logicalId]?.Type === type;
const at = (logicalId: string | undefined, suffix: string, pattern: RegExp) => {
  const p = logicalId === undefined ? undefined : pathOf.get(logicalId);
  return p !== undefined && p.endsWith(suffix) && pattern.test(p.slice(0, p.length - suffix.length));
};

const ANY: Kind = { describe: '*', matches: (r) => r === '*' };
/** The state table (as GetAtt, or as the ARN direct integrations build), never an index or a wildcard. */
const TABLE: Kind = {
  describe: 'the state table',
  matches: (r) => {
    if (typeIs(getAtt(r), 'AWS::DynamoDB::Table')) return pathOf.get(getAtt(r)!) === 'State/Table';
    const flat = flattenCfnReference(r);
    const m = /^arn:<AWS::Partition>:dynamodb:<AWS::Region>:<AWS::AccountId>:table\/<([A-Za-z0-9]+)>$/.exec(flat);
    return !!m && pathOf.get(m[1]) === 'State/Table';
  },
};
const BUS: Kind = { describe: 'the orchestration bus', matches: (r) => typeIs(getAtt(r), 'AWS::Events::EventBus') && pathOf.get(getAtt(r)!) === 'Bus' };
/** Lambda functions (TaskFunction paths), unqualified or any version/alias (`<arn>:*`). */
const functions = (pattern: string): Kind => {
  const re = glob(pattern);
  return {
    describe: `the functions ${pattern} (and their qualifiers)`,
    matches: (r) => {
      const join = (r as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
      const target = join && join[0] === '' && join[1].length === 2 && join[1][1] === ':*' ? join[1][0] : r;
      return typeIs(getAtt(target), 'AWS::Lambda::Function') && at(getAtt(target), '/Function', re);
    },
  };
};
/** State machines, by the path of their WorkflowStateMachine. */
const machines = (pattern: string): Kind => {
  const re = glob(pattern);
  return { describe: `the state machines ${pattern}`, matches: (r) => typeIs(ref(r), 'AWS::StepFunctions::StateMachine') && at(ref(r), '/StateMachine', re) };
};
/** The executions of one state machine, exactly `execution:<name>:*` (not `<name>*`, which covers other machines). */
const executionsOf = (pattern: string): Kind => {
  const re = glob(pattern);
  return {
    describe: `the executions of ${pattern} (execution:<name>:*)`,
    matches: (r) => {
      const m = /^arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:(?:<([A-Za-z0-9]+)\.Name>|\{"Fn::Select":\[6,\{"Fn::Split":\[":",\{"Ref":"([A-Za-z0-9]+)"\}\]\}\]\}):\*$/.exec(flattenCfnReference(r));
      const id = m?.[1] ?? m?.[2];
      return typeIs(id, 'AWS::StepFunctions::StateMachine') && at(id, '/StateMachine', re);
    },
  };
};
/** The rule Step Functions manages in the account to learn that a `.sync` child ended. */
const SFN_MANAGED_RULE: Kind = {
  describe: 'the managed rule StepFunctionsGetEventsForStepFunctionsExecutionRule',
  matches: (r) => flattenCfnReference(r) === 'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule',
};
const OWN_LOG_GROUP: Kind = { describe: 'its own log group', matches: (r, self) => typeIs(getAtt(r), 'AWS::Logs::LogGroup') && pathOf.get(getAtt(r)!) === `${self}/Logs` };
const OWN_ON_FAILURE_QUEUE: Kind = { describe: 'its own on-failure queue', matches: (r, self) => typeIs(getAtt(r), 'AWS::SQS::Queue') && pathOf.get(getAtt(r)!) === `${self}/OnFailure` };

// ---------------------------------------------------------------------------------------------
// Grants: actions on one kind of resource, with the exact Condition (none unless given).

interface Grant { readonly actions: readonly string[]; readonly on: Kind; readonly condition?: Record<string, unknown> }
const grant = (actions: readonly string[], on: Kind, condition?: Record<string, unknown>): Grant => ({ actions, on, condition });
const dynamo = (...actions: string[]) => actions.map((a) => `dynamodb:${a}`);
/** Items of the state table whose partition key is one of `keys` (`StringLike` when a key has `*`). */
const tableItems = (actions: string[], keys: string[]) => grant(dynamo(...actions), TABLE, {
  [keys.some((k) => k.includes('*')) ? 'ForAllValues:StringLike' : 'ForAllValues:StringEquals']: { 'dynamodb:LeadingKeys': keys },
});

/** Every TaskFunction: write to its own log group. */
const fn = (...grants: Grant[]): Grant[] => [grant(['logs:CreateLogStream', 'logs:PutLogEvents'], OWN_LOG_GROUP), ...grants];
/** A TaskFunction with `invokedAsynchronously`: also send to its own on-failure queue (what SqsDestination grants). */
const asyncFn = (...grants: Grant[]): Grant[] => fn(grant(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], OWN_ON_FAILURE_QUEUE), ...grants);
/** Every WorkflowStateMachine: logging and X-Ray (no resource-level permissions), and invoke the given functions. */
const workflow = (invoke: string | undefined, ...grants: Grant[]): Grant[] => [
  grant(NO_RESOURCE_LEVEL_ACTIONS, ANY),
  ...(invoke ? [grant(['lambda:InvokeFunction'], functions(invoke))] : []),
  ...grants,
];
/** The role EventBridge assumes to start a workflow. */
const startedByRule = (machine: string): Grant[] => [grant(['states:StartExecution'], machines(machine))];
const putEvents = grant(['events:PutEvents'], BUS);
/** A pool's slot function and reaper: its own items, and wake the tasks of the workflows attached to it. */
const poolSlots = (key: string, attached: string) => [
  tableItems(['GetItem', 'PutItem', 'DeleteItem', 'Query'], [key]),
  grant(['states:SendTaskSuccess'], machines(attached)),
];

/** A pool's reaper starts the pool's drain workflow (for an aborted or timed-out holder). */
const startDrain = (pool: string) => grant(['states:StartExecution'], machines(`${pool}/Drain`));

interface RoleEntry { readonly role: string; readonly assumedBy: 'lambda' | 'states' | 'events'; readonly grants: readonly Grant[] }

/** THE TABLE: every role of the app, and everything it may do. */
const ROLES: readonly RoleEntry[] = [
  // pipeline and parent
  { role: 'Pipeline/{ValidateFn,GenerateFn,AnalyzeFn,TrainFn,IntegrateFn}/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'Pipeline/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('Pipeline/*Fn', grant(dynamo('GetItem', 'PutItem', 'UpdateItem'), TABLE)) },
  { role: 'Pipeline/Workflow/StateMachine/EventsRole', assumedBy: 'events', grants: startedByRule('Pipeline/Workflow') },
  { role: 'Parent/{ValidateFn,SummarizeFn}/Role', assumedBy: 'lambda', grants: fn() },
  {
    role: 'Parent/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('Parent/*Fn', putEvents,
      grant(['states:StartExecution'], machines('Pipeline/Workflow')),
      grant(['states:DescribeExecution', 'states:StopExecution'], executionsOf('Pipeline/Workflow')),
      grant(['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], SFN_MANAGED_RULE)),
  },
  { role: 'Parent/Workflow/StateMachine/EventsRole', assumedBy: 'events', grants: startedByRule('Parent/Workflow') },
  // failure recovery
  { role: 'PaymentsWorkflow/PaymentsApiFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'PaymentsWorkflow/Payments/TransitionFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['GetItem', 'PutItem'], ['CIRCUIT#payments'])) },
  { role: 'PaymentsWorkflow/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('PaymentsWorkflow/**', putEvents, grant(dynamo('GetItem', 'UpdateItem'), TABLE)) },
  { role: 'Checkout/{PricingFn,RecommendationsFn,LoyaltyFn}/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'Checkout/Recommendations/TransitionFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['GetItem', 'PutItem'], ['CIRCUIT#recommendations'])) },
  { role: 'Checkout/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('Checkout/**', putEvents, grant(dynamo('GetItem', 'UpdateItem'), TABLE)) },
  { role: 'Report/ReportStepFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['UpdateItem'], ['EFFECT#report#*'])) },
  { role: 'Report/Checkpoints/BeginRunFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'Report/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('Report/**', grant(dynamo('GetItem', 'PutItem'), TABLE)) },
  { role: 'OrderSaga/OrderServiceFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['UpdateItem'], ['EFFECT#saga#*'])) },
  { role: 'OrderSaga/Saga/BeginRunFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'OrderSaga/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('OrderSaga/**', putEvents, grant(dynamo('GetItem', 'PutItem', 'UpdateItem'), TABLE)) },
  { role: 'TenantJobs/Bulkhead/SlotFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['GetItem', 'PutItem'], ['BULKHEAD#tenant-jobs'])) },
  { role: 'TenantJobs/{TenantA,TenantB}WorkerFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'TenantJobs/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('TenantJobs/**', grant(dynamo('UpdateItem'), TABLE)) },
  // resource management
  { role: 'PartnerApiQuota/ConsumeFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['GetItem', 'UpdateItem', 'PutItem'], ['QUOTA#partner-api'])) },
  { role: 'PartnerSync/PartnerApiFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: '{PartnerSync,PartnerLookup}/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('{PartnerApiQuota/ConsumeFn,PartnerSync/PartnerApiFn}') },
  { role: 'TrainingJobs/GpuPool/SlotFn/Role', assumedBy: 'lambda', grants: fn(...poolSlots('POOL#gpu', 'TrainingJobs/Workflow')) },
  { role: 'TrainingJobs/GpuPool/ReaperFn/Role', assumedBy: 'lambda', grants: asyncFn(...poolSlots('POOL#gpu', 'TrainingJobs/Workflow'), startDrain('TrainingJobs/GpuPool')) },
  { role: 'TrainingJobs/GpuPool/Drain/StateMachine/Role', assumedBy: 'states', grants: workflow('TrainingJobs/GpuPool/SlotFn') },
  { role: 'TrainingJobs/TrainerFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'TrainingJobs/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('TrainingJobs/**') },
  { role: 'Experiment/Budget/GateFn/Role', assumedBy: 'lambda', grants: fn(tableItems(['GetItem', 'PutItem'], ['BUDGET#*', 'BUDGETRUN#*'])) },
  {
    role: 'Experiment/Budget/SettleFn/Role', assumedBy: 'lambda', grants: asyncFn(tableItems(['GetItem', 'PutItem', 'UpdateItem'], ['BUDGET#*', 'BUDGETRUN#*']), putEvents,
      grant(['states:GetExecutionHistory'], executionsOf('Experiment/Workflow'))),
  },
  { role: 'Experiment/ExperimentFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'Experiment/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('Experiment/**') },
  { role: 'ClusterJob/WorkspaceFn/Role', assumedBy: 'lambda', grants: fn(grant(dynamo('UpdateItem'), TABLE)) },
  { role: 'ClusterJob/JobFn/Role', assumedBy: 'lambda', grants: fn() },
  { role: 'ClusterJob/Workflow/StateMachine/Role', assumedBy: 'states', grants: workflow('ClusterJob/*Fn', grant(dynamo('PutItem', 'UpdateItem'), TABLE)) },
  { role: 'ClusterJob/Teardown/Recovery/StateMachine/Role', assumedBy: 'states', grants: workflow('ClusterJob/WorkspaceFn', grant(dynamo('GetItem', 'UpdateItem'), TABLE)) },
  { role: 'ClusterJob/Teardown/Recovery/StateMachine/EventsRole', assumedBy: 'events', grants: startedByRule('ClusterJob/Teardown/Recovery') },
  ...(['critical', 'batch'] as const).flatMap((cls): RoleEntry[] => {
    const Cls = cls === 'critical' ? 'Critical' : 'Batch';
    const pool = poolSlots(`POOL#workload-${cls}`, `${Cls}Jobs/Workflow`);
    return [
      { role: `${Cls}Workload/Pool/SlotFn/Role`, assumedBy: 'lambda', grants: fn(...pool) },
      { role: `${Cls}Workload/Pool/ReaperFn/Role`, assumedBy: 'lambda', grants: asyncFn(...pool, startDrain(`${Cls}Workload/Pool`)) },
      { role: `${Cls}Workload/Pool/Drain/StateMachine/Role`, assumedBy: 'states', grants: workflow(`${Cls}Workload/Pool/SlotFn`) },
      { role: `${Cls}Workload/Quota/ConsumeFn/Role`, assumedBy: 'lambda', grants: fn(tableItems(['GetItem', 'UpdateItem', 'PutItem'], [`QUOTA#workload-${cls}`])) },
      { role: `${Cls}Workload/WorkerFn/Role`, assumedBy: 'lambda', grants: fn() },
      { role: `${Cls}Jobs/Workflow/StateMachine/Role`, assumedBy: 'states', grants: workflow(`${Cls}Workload/**`) },
    ];
  }),
  // the stack's own
  { role: 'ExecutionLedgerFn/Role', assumedBy: 'lambda', grants: asyncFn(tableItems(['PutItem'], ['EXECUTION#*'])) },
  { role: 'Pipeline/ClaimReleaseFn/Role', assumedBy: 'lambda', grants: asyncFn(tableItems(['UpdateItem'], ['RUN#*'])) },
];

// ---------------------------------------------------------------------------------------------

type Statement = { Effect?: string; Action?: string | string[]; Resource?: unknown; Condition?: Record<string, unknown>; [k: string]: unknown };
const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every statement attached to a role: its policies (AWS::IAM::Policy / ManagedPolicy naming it) and inline ones. */
function statementsOf(roleId: string): Statement[] {
  const attached = Object.values(resources)
    .filter((r) => (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && asArray(r.Properties.Roles).some((x) => same(x, { Ref: roleId })))
    .flatMap((r) => asArray(r.Properties.PolicyDocument.Statement) as Statement[]);
  const inline = asArray(resources[roleId].Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap((p) => asArray(p.PolicyDocument.Statement));
  return [...attached, ...inline];
}

/** What is wrong with one role against its entry (empty when nothing). */
function checkRole(roleId: string, rolePath: string, entry: RoleEntry): string[] {
  const problems: string[] = [];
  const role = resources[roleId].Properties;
  const principals = asArray(role.AssumeRolePolicyDocument.Statement as Statement[]).map((s) => (s as { Principal?: unknown }).Principal);
  if (!same(principals, [{ Service: `${entry.assumedBy}.amazonaws.com` }])) problems.push(`${rolePath}: assumable by ${JSON.stringify(principals)}, the table says ${entry.assumedBy}.amazonaws.com only`);
  if (role.ManagedPolicyArns !== undefined) problems.push(`${rolePath}: has managed policies ${JSON.stringify(role.ManagedPolicyArns)}`);
  const self = rolePath.replace(/\/Role$/, '');
  const used = new Set<string>();
  for (const s of statementsOf(roleId)) {
    const extra = Object.keys(s).filter((k) => !['Effect', 'Action', 'Resource', 'Condition', 'Sid'].includes(k));
    if (s.Effect !== 'Allow' || extra.length > 0) { problems.push(`${rolePath}: a statement the table cannot judge: ${JSON.stringify(s)}`); continue; }
    for (const action of asArray(s.Action)) {
      for (const resource of asArray(s.Resource)) {
        const g = entry.grants.find((x) => x.actions.includes(action) && x.on.matches(resource, self) && same(s.Condition, x.condition));
        if (g) used.add(`${entry.grants.indexOf(g)} ${action}`);
        else problems.push(`${rolePath}: ${action} on ${JSON.stringify(resource)}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ''} is not allowed by its entry "${entry.role}"`);
      }
    }
  }
  entry.grants.forEach((g, i) => {
    for (const a of g.actions) {
      if (!used.has(`${i} ${a}`)) problems.push(`${rolePath}: the table grants ${a} on ${g.on.describe}${g.condition ? ` if ${JSON.stringify(g.condition)}` : ''} but the role does not have it: remove it from the entry "${entry.role}"`);
    }
  });
  return problems;
}

const roleIds = Object.keys(resources).filter((id) => resources[id].Type === 'AWS::IAM::Role');

describe('least privilege: every role against the table', () => {
  test('every role has exactly one entry, and every entry names a role', () => {
    const problems: string[] = [];
    const matched = new Set<RoleEntry>();
    for (const id of roleIds) {
      const p = pathOf.get(id)!;
      const entries = ROLES.filter((e) => glob(e.role).test(p));
      entries.forEach((e) => matched.add(e));
      if (entries.length === 0) {
        problems.push(`${p}: a role with no entry in ROLES (test/infra/least-privilege.test.ts); add one with what it may do. It has: `
          + JSON.stringify(statementsOf(id).map((s) => ({ Action: s.Action, Resource: s.Resource, ...(s.Condition ? { Condition: s.Condition } : {}) }))));
      }
      if (entries.length > 1) problems.push(`${p}: matched by ${entries.length} entries (${entries.map((e) => e.role).join(', ')}); make them disjoint`);
    }
    for (const e of ROLES) if (!matched.has(e)) problems.push(`entry "${e.role}" matches no role of the app: remove or fix it`);
    expect(problems).toEqual([]);
  });

  test.each(roleIds.map((id) => [pathOf.get(id)!, id]))('%s has exactly what its entry grants', (rolePath, id) => {
    const entry = ROLES.find((e) => glob(e.role).test(rolePath));
    if (!entry) throw new Error(`${rolePath}: no entry in ROLES (see the test above)`);
    expect(checkRole(id, rolePath, entry)).toEqual([]);
  });

  test('every policy of the app is attached to roles of the app only', () => {
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::IAM::Policy' || x.Type === 'AWS::IAM::ManagedPolicy')) {
      expect(r.Properties.Users).toBeUndefined();
      expect(r.Properties.Groups).toBeUndefined();
      for (const x of asArray(r.Properties.Roles)) expect(roleIds).toContain(ref(x));
    }
  });

  test('the table refuses a foreign function, another table key, an extra action, a prefix-wide execution grant', () => {
    const idAt = (p: string) => [...pathOf].find(([, x]) => x === p)![0];
    const [settleRole, experiment, table] = [idAt('Experiment/Budget/SettleFn/Role'), idAt('Experiment/Workflow/StateMachine'), idAt('State/Table')];
    const entry = ROLES.find((e) => glob(e.role).test('Experiment/Budget/SettleFn/Role'))!;
    const budgetKeys = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BUDGET#*', 'BUDGETRUN#*'] } };
    const cases: Statement[] = [
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [idAt('Pipeline/ValidateFn/Function'), 'Arn'] } },
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [table, 'Arn'] }, Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['POOL#*'] } } },
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': [table, 'Arn'] } },
      { Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: { 'Fn::GetAtt': [table, 'Arn'] }, Condition: budgetKeys },
      { Effect: 'Allow', Action: 'states:GetExecutionHistory', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':execution:', { 'Fn::GetAtt': [experiment, 'Name'] }, '*']] } },
    ];
    const own = settleRole;
    for (const extra of cases) {
      const policyId = 'InjectedForTheTest';
      resources[policyId] = { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: own }], PolicyDocument: { Statement: [extra] } } };
      try {
        expect(checkRole(own, 'Experiment/Budget/SettleFn/Role', entry).filter((p) => p.includes('is not allowed'))).toHaveLength(1);
      } finally {
        delete resources[policyId];
      }
    }
    expect(checkRole(own, 'Experiment/Budget/SettleFn/Role', entry)).toEqual([]);
  });
});
