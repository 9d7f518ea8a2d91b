// Evaluates a compiled transform step's computed mappings (`expressions`: target →
// expression) in a step's expression scope (input, config, steps…), with the workflow
// engine's own safe expression language. It exists so the engine's `transform` step can
// adopt it (see compile-flow.ts) and so the builder's test panel can show a Transform
// node's result without a run. Pure: never eval, never a host object; the result is
// plain, copied data. Throws ExpressionError (with its position) on a bad expression.
import { evaluateExpression, parseExpression } from "../../execution/workflows/expression";

export function applyTransformExpressions(expressions: Record<string, string>, scope: Record<string, unknown>): Record<string, unknown> {
  // fromEntries defines own properties, so a target can never touch a prototype.
  return Object.fromEntries(Object.entries(expressions).map(([target, source]) => [target, evaluateExpression(parseExpression(source), scope)]));
}
