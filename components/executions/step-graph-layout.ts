// Where each workflow step is drawn: one column per layer (left → right, so every edge
// points right), nodes in a column ordered by the average row of the steps they wait for
// (fewer crossings), and an edge as a curve from a step's right side to its dependent's
// left side. Pure geometry; the SVG is drawn by step-graph.tsx.

export interface LayoutInput {
  id: string;
  layer: number;
  dependsOn: string[];
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  column: number;
  row: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  path: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
}

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 58;
const COLUMN_GAP = 64;
const ROW_GAP = 18;
const PADDING = 16;

export function layoutStepGraph(nodes: LayoutInput[]): GraphLayout {
  const columns: LayoutInput[][] = [];
  for (const n of nodes) (columns[n.layer] ??= []).push(n);
  const rowOf = new Map<string, number>();
  const placed = new Map<string, PlacedNode>();
  let maxRows = 0;
  for (let c = 0; c < columns.length; c++) {
    const column = (columns[c] ??= []);
    const order = column.map((n, i) => {
      const rows = n.dependsOn.map((d) => rowOf.get(d)).filter((r): r is number => r !== undefined);
      const barycenter = rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : i;
      return { n, key: barycenter, i };
    });
    if (c > 0) order.sort((a, b) => a.key - b.key || a.i - b.i);
    order.forEach(({ n }, r) => {
      rowOf.set(n.id, r);
      placed.set(n.id, { id: n.id, column: c, row: r, x: PADDING + c * (NODE_WIDTH + COLUMN_GAP), y: 0 });
    });
    maxRows = Math.max(maxRows, column.length);
  }
  const height = PADDING * 2 + maxRows * NODE_HEIGHT + Math.max(0, maxRows - 1) * ROW_GAP;
  // Centre each column vertically, so a single sink sits in the middle of its sources.
  for (const column of columns) {
    if (!column) continue;
    const columnHeight = column.length * NODE_HEIGHT + Math.max(0, column.length - 1) * ROW_GAP;
    const top = (height - columnHeight) / 2;
    for (const n of column) {
      const p = placed.get(n.id)!;
      p.y = top + p.row * (NODE_HEIGHT + ROW_GAP);
    }
  }
  const edges: PlacedEdge[] = [];
  for (const n of nodes) {
    const to = placed.get(n.id)!;
    for (const d of n.dependsOn) {
      const from = placed.get(d);
      if (!from) continue;
      const x1 = from.x + NODE_WIDTH;
      const y1 = from.y + NODE_HEIGHT / 2;
      const x2 = to.x;
      const y2 = to.y + NODE_HEIGHT / 2;
      const bend = Math.max(24, (x2 - x1) / 2);
      edges.push({ from: d, to: n.id, path: `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}` });
    }
  }
  const width = PADDING * 2 + columns.length * NODE_WIDTH + Math.max(0, columns.length - 1) * COLUMN_GAP;
  return { width, height, nodes: placed, edges };
}
