// The flows a new visual action starts from, so the canvas is never a blank page: the
// smallest complete shape (Input → Transform → Output) that already validates and compiles.
// Pure data, no React: the builder state (B) and the canvas both call it.
import type { FlowGraphInput } from "./flow-types";

/** Input (value: string) → Transform (result ← input.value) → Output (result). Valid as is. */
export function starterFlow(): FlowGraphInput {
  return {
    nodes: [
      { id: "input", type: "input", position: { x: 0, y: 80 }, data: { fields: [{ name: "value", type: "string", required: true }] } },
      { id: "transform", type: "transform", position: { x: 300, y: 80 }, data: { mappings: [{ target: "result", expression: "input.value" }] } },
      { id: "output", type: "output", position: { x: 600, y: 80 }, data: { fields: [{ name: "result", type: "string" }] } },
    ],
    edges: [
      { id: "e_input_transform", source: "input", target: "transform" },
      { id: "e_transform_output", source: "transform", target: "output" },
    ],
  };
}
