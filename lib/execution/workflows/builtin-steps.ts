// The built-in step actions, which need no capability and run inside the runner:
//   transform  output = the rendered inputs (reshape data between steps), plus computed
//              `expressions` (target → expression) evaluated in the step's scope
//   validate   inputs { value, schema }: checks value against a small JSON-schema subset
//              (json-schema-subset.ts); output { valid: true, value }, else failed
//              `validation_failed` naming every path
//   condition  `if`: an expression (expression.ts); output { value: boolean }
// Each returns an ActionOutcome and never throws. Pure: no I/O, no code evaluation.
import type { ActionOutcome, ExecutionError } from "../types";
import { evaluateExpression, ExpressionError, isTruthy, parseExpression } from "./expression";
import { checkSchema, validateAgainstSchema, type SubsetSchema } from "./json-schema-subset";
import type { PlannedStep } from "./plan-workflow";

function outcome(startedAt: number, now: () => number, result: { output: unknown } | { error: ExecutionError }): ActionOutcome {
  const resources = { wallMs: Math.max(0, now() - startedAt), networkCalls: 0 };
  if ("error" in result) return { status: "failed", error: result.error, logs: [], resources, requests: [] };
  return { status: "succeeded", output: result.output, logs: [], resources, requests: [] };
}

function listProblems(problems: { path: string; message: string }[]): string {
  const shown = problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : "";
  return `${shown.join("; ")}${more}`;
}

export function runBuiltinStep(step: PlannedStep, input: Record<string, unknown>, expressionScope: Record<string, unknown>, now: () => number): ActionOutcome {
  const startedAt = now();
  switch (step.builtin) {
    case "transform": {
      // Computed mappings (`expressions`: target → expression, written by the builder's flow
      // compiler) are evaluated in the step's scope with the safe expression language and
      // join the rendered inputs; plain inputs pass through as they are.
      const exprs = input.expressions;
      if (!exprs || typeof exprs !== "object" || Array.isArray(exprs)) return outcome(startedAt, now, { output: input });
      const out: Record<string, unknown> = Object.fromEntries(Object.entries(input).filter(([k]) => k !== "expressions"));
      try {
        for (const [target, source] of Object.entries(exprs as Record<string, unknown>)) {
          if (typeof source !== "string") return outcome(startedAt, now, { error: { code: "expression_error", message: `expressions.${target} must be an expression (a string)` } });
          Object.defineProperty(out, target, { value: evaluateExpression(parseExpression(source), expressionScope), enumerable: true, writable: true, configurable: true });
        }
      } catch (err) {
        if (err instanceof ExpressionError) return outcome(startedAt, now, { error: { code: "expression_error", message: err.message } });
        throw err;
      }
      return outcome(startedAt, now, { output: out });
    }
    case "validate": {
      const value = Object.hasOwn(input, "value") ? input.value : null;
      const schema = input.schema;
      const schemaProblems = checkSchema(schema, "schema");
      if (schemaProblems.length) return outcome(startedAt, now, { error: { code: "invalid_schema", message: `the schema is not usable: ${listProblems(schemaProblems)}` } });
      const problems = validateAgainstSchema(value, schema as SubsetSchema, "value");
      if (problems.length) {
        return outcome(startedAt, now, { error: { code: "validation_failed", message: `${problems.length} problem${problems.length === 1 ? "" : "s"}: ${listProblems(problems)}` } });
      }
      return outcome(startedAt, now, { output: { valid: true, value } });
    }
    case "condition": {
      if (!step.test) return outcome(startedAt, now, { error: { code: "expression_error", message: "a condition step needs `if`" } });
      try {
        return outcome(startedAt, now, { output: { value: isTruthy(evaluateExpression(step.test, expressionScope)) } });
      } catch (err) {
        if (err instanceof ExpressionError) return outcome(startedAt, now, { error: { code: "expression_error", message: err.message } });
        throw err;
      }
    }
    default:
      return outcome(startedAt, now, { error: { code: "unknown_action", message: `${step.action} is not a built-in step` } });
  }
}
