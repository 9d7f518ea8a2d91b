// The graph the visual builder's canvas saves (issue 7): typed nodes (input, http,
// transform, condition, output) with their side-panel data, and the edges between them.
// This schema is the boundary: the canvas (and any stored draft) is parsed by it before
// validateFlow or compileFlow look at it. Pure: no I/O, no React, no @xyflow types.
import { z } from "zod";
import { HTTP_METHODS, VALUE_TYPES } from "../../registry/manifest-schema";

/**
 * Node ids become workflow step ids and are read in expressions as `steps.<id>.output`,
 * so they are identifiers without dashes (a dash would read as a minus sign).
 */
export const NODE_ID = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const FLOW_NODE_TYPES = ["input", "http", "transform", "condition", "output"] as const;
export type FlowNodeType = (typeof FLOW_NODE_TYPES)[number];

/** Names that reach an object's prototype machinery: never an id or a field name. */
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);
const notForbidden = (v: string) => !FORBIDDEN_NAMES.has(v);
const nodeId = z.string().regex(NODE_ID, "use letters, digits and _, starting with a letter or _ (max 64)").refine(notForbidden, "this name is reserved");
const fieldName = z.string().regex(FIELD_NAME, "use letters, digits and _, starting with a letter or _ (max 64)").refine(notForbidden, "this name is reserved");
const PositionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

export const FlowFieldSchema = z.object({
  name: fieldName,
  type: z.enum(VALUE_TYPES).default("string"),
  required: z.boolean().default(false),
  description: z.string().max(500).optional(),
  default: z.unknown().optional(),
});
export type FlowField = z.infer<typeof FlowFieldSchema>;

export const FlowOutputFieldSchema = FlowFieldSchema.pick({ name: true, type: true, description: true });
export type FlowOutputField = z.infer<typeof FlowOutputFieldSchema>;

const ExpressionText = z.string().min(1, "write an expression").max(4096);

export const InputNodeDataSchema = z.object({ fields: z.array(FlowFieldSchema).max(50).default([]) });
export const HttpNodeDataSchema = z.object({
  method: z.enum(HTTP_METHODS).default("GET"),
  /** A template: `https://api.example.com/x?q=${input.city}`; the host is fixed. */
  url: z.string().min(1, "enter a URL").max(2000),
  headers: z.record(z.string().min(1).max(200), z.string().max(4000)).default({}),
  /** A JSON template whose strings may hold placeholders; absent for GET. */
  body: z.unknown().optional(),
  /** Output name → path in the response body (`main.temp`); empty: the whole body. */
  responseMapping: z.record(fieldName, z.string().min(1).max(300)).default({}),
});
export const TransformMappingSchema = z.object({ target: fieldName, expression: ExpressionText });
export const TransformNodeDataSchema = z.object({ mappings: z.array(TransformMappingSchema).max(50).default([]) });
export const ConditionNodeDataSchema = z.object({ expression: ExpressionText });
export const OutputNodeDataSchema = z.object({ fields: z.array(FlowOutputFieldSchema).max(50).default([]) });

const nodeBase = { id: nodeId, position: PositionSchema };
export const FlowNodeSchema = z.discriminatedUnion("type", [
  z.object({ ...nodeBase, type: z.literal("input"), data: InputNodeDataSchema }),
  z.object({ ...nodeBase, type: z.literal("http"), data: HttpNodeDataSchema }),
  z.object({ ...nodeBase, type: z.literal("transform"), data: TransformNodeDataSchema }),
  z.object({ ...nodeBase, type: z.literal("condition"), data: ConditionNodeDataSchema }),
  z.object({ ...nodeBase, type: z.literal("output"), data: OutputNodeDataSchema }),
]);
export type FlowNode = z.infer<typeof FlowNodeSchema>;
export type FlowNodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

export const FlowEdgeSchema = z.object({
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(200),
  target: z.string().min(1).max(200),
  /** Which branch of a condition node the edge leaves from; absent for every other node. */
  sourceHandle: z.enum(["true", "false"]).optional(),
});
export type FlowEdge = z.infer<typeof FlowEdgeSchema>;

export const FlowGraphSchema = z.object({
  nodes: z.array(FlowNodeSchema).max(200),
  edges: z.array(FlowEdgeSchema).max(400),
});
export type FlowGraph = z.infer<typeof FlowGraphSchema>;
export type FlowGraphInput = z.input<typeof FlowGraphSchema>;
