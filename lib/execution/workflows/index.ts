// The workflow engine: the DAG runner, its built-in steps and the condition expression
// language. Pure TypeScript with no I/O and no isolated-vm: installed actions run through
// the hooks the executor passes in, so this is safe to import anywhere (the web process
// uses validateWorkflow and workflowGraph).
export { runWorkflow, retryDelayMs, LOG_LINE_LIMIT, LOG_BYTE_LIMIT, LOG_TRUNCATED_MARKER, UNRESPONSIVE_GRACE_MS, RETRY_BASE_MS } from "./run-workflow";
export { planWorkflow, validateWorkflow, workflowGraph, parseCondition, unwrapExpression, type PlannedStep, type WorkflowPlan, type WorkflowGraphNode, type WorkflowManifest, type WorkflowStep } from "./plan-workflow";
export {
  parseExpression,
  evaluate,
  evaluateExpression,
  expressionReferences,
  isTruthy,
  jsonEqual,
  ExpressionError,
  EXPRESSION_FUNCTIONS,
  MAX_EXPRESSION_LENGTH,
  type ExpressionNode,
  type ExpressionReference,
} from "./expression";
export { checkSchema, validateAgainstSchema, SCHEMA_TYPES, type SubsetSchema } from "./json-schema-subset";
export {
  BUILTIN_STEP_ACTIONS,
  type BuiltinStepAction,
  type RunWorkflowOptions,
  type StepHandling,
  type StepInfo,
  type WorkflowHooks,
  type WorkflowOutcome,
  type WorkflowStepCall,
  type WorkflowStepResult,
} from "./types";
