/** Event contracts on the orchestration bus (source + detail-type), shared by rules and producers. */
export const PIPELINE_REQUESTED = { source: 'orchestration.pipeline', detailType: 'PipelineRequested' } as const;
export const PARENT_REQUESTED = { source: 'orchestration.parent', detailType: 'ParentRequested' } as const;
export const EXECUTION_STATUS_CHANGE = { source: 'aws.states', detailType: 'Step Functions Execution Status Change' } as const;
export const CIRCUIT_STATE_CHANGED = { source: 'orchestration.circuit-breaker', detailType: 'CircuitStateChanged' } as const;
export const SAGA_COMPENSATION_FAILED = { source: 'orchestration.saga', detailType: 'SagaCompensationFailed' } as const;
export const WORKFLOW_DEGRADED = { source: 'orchestration.degradation', detailType: 'WorkflowDegraded' } as const;
export const BUDGET_THRESHOLD_REACHED = { source: 'orchestration.budget', detailType: 'BudgetThresholdReached' } as const;
