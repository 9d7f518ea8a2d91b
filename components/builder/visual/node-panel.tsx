"use client";
// The side panel that configures the selected canvas node (issue 7): its id, Input/Output
// fields, the HTTP request (method, URL template, headers, JSON body template, response
// mapping), Transform mappings (target ← expression, parsed live with the workflow
// expression parser so an error shows with its column as you type), the Condition
// expression, and the node's outgoing connections (the keyboard way to wire). Problems from
// validation are shown at the field they concern. Every edit produces a new graph through
// the pure helpers of lib/builder/flow/edit-flow.ts.
import { useId, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { cx } from "@/components/ui/cx";
import { controlClasses, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { XIcon, PlusIcon } from "@/components/icons";
import { connect, nodeIdProblem, removeElements, renameNode, updateNodeData, upstreamNodes, type FlowNodeInput, type FlowNodeInputOf } from "@/lib/builder/flow/edit-flow";
import type { FlowGraphInput } from "@/lib/builder/flow/flow-types";
import { parseFlowExpression, type FlowError } from "@/lib/builder/flow/validate-flow";
import { EXPRESSION_FUNCTIONS } from "@/lib/execution/workflows/expression";
import { HTTP_METHODS, VALUE_TYPES } from "@/lib/registry/manifest-schema";
import { NODE_TYPE_HINTS, NODE_TYPE_LABELS, NodeGlyph } from "./flow-nodes";

export interface NodePanelProps {
  graph: FlowGraphInput;
  node: FlowNodeInput;
  errors: FlowError[];
  readOnly: boolean;
  onChange: (g: FlowGraphInput) => void;
  onSelect: (id: string | null) => void;
}

type FieldErrors = (suffix: string) => string | undefined;

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="space-y-2 border-t border-border px-4 py-3">
      <div className="flex items-center justify-between gap-2">
        <h4 className="text-[12px] font-semibold tracking-wide text-fg-muted uppercase">{title}</h4>
        {aside}
      </div>
      {children}
    </section>
  );
}

function ErrorText({ children, id }: { children?: ReactNode; id?: string }) {
  if (!children) return null;
  return (
    <p id={id} className="text-[12px] leading-snug text-danger">
      {children}
    </p>
  );
}

function NodeIdField({ graph, node, readOnly, onChange, onSelect }: Omit<NodePanelProps, "errors">) {
  // The panel is keyed by the node id, so this starts from the selected node's id.
  const [text, setText] = useState(node.id);
  const problem = text === node.id ? null : nodeIdProblem(graph, node.id, text);
  const id = useId();
  const commit = () => {
    if (text === node.id) return;
    if (problem) return;
    onChange(renameNode(graph, node.id, text));
    onSelect(text);
  };
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-[12px] font-medium text-fg">
        Node id
      </label>
      <Input
        id={id}
        inputSize="sm"
        className="font-mono"
        value={text}
        disabled={readOnly}
        invalid={Boolean(problem)}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setText(node.id);
        }}
      />
      {problem ? (
        <ErrorText id={`${id}-hint`}>{problem}</ErrorText>
      ) : (
        <p id={`${id}-hint`} className="mt-1 text-[11.5px] text-fg-subtle">
          Read later nodes as <code className="font-mono">steps.{node.id}.output</code>. Enter to rename.
        </p>
      )}
    </div>
  );
}

type AnyField = { name: string; type?: (typeof VALUE_TYPES)[number]; required?: boolean; description?: string; default?: unknown };

function defaultText(v: unknown): string {
  if (v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function parseDefault(text: string, type: string | undefined): unknown {
  if (text === "") return undefined;
  if (type === "number" || type === "integer") return Number.isFinite(Number(text)) && text.trim() !== "" ? Number(text) : text;
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (type === "object" || type === "array" || type === "any") {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function FieldsEditor({ fields, kind, readOnly, onFields, err }: { fields: AnyField[]; kind: "input" | "output"; readOnly: boolean; onFields: (f: AnyField[]) => void; err: FieldErrors }) {
  const set = (i: number, patch: Partial<AnyField>) => onFields(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const prefix = kind === "input" ? "Input field" : "Output field";
  return (
    <div className="space-y-3">
      {fields.length === 0 && <p className="text-[12.5px] text-fg-subtle">No fields yet.</p>}
      {fields.map((f, i) => {
        const nameError = err(`data.fields[${i}].name`);
        const typeError = err(`data.fields[${i}].type`);
        const defaultError = err(`data.fields[${i}].default`);
        return (
          <fieldset key={i} className="space-y-1.5 rounded-lg border border-border bg-surface-2/50 p-2.5">
            <legend className="sr-only">
              {prefix} {i + 1}
            </legend>
            <div className="flex gap-1.5">
              <Input inputSize="sm" className="flex-1 font-mono" aria-label={`${prefix} ${i + 1} name`} placeholder="name" value={f.name} disabled={readOnly} invalid={Boolean(nameError)} onChange={(e) => set(i, { name: e.target.value })} />
              <Select selectSize="sm" className="w-28" aria-label={`${prefix} ${i + 1} type`} value={f.type ?? "string"} disabled={readOnly} onChange={(e) => set(i, { type: e.target.value as AnyField["type"] })}>
                {VALUE_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </Select>
              {!readOnly && (
                <Button variant="ghost" size="sm" aria-label={`Remove ${prefix.toLowerCase()} ${i + 1}`} onClick={() => onFields(fields.filter((_, j) => j !== i))} icon={<XIcon className="size-3.5" />} />
              )}
            </div>
            <ErrorText>{nameError ?? typeError}</ErrorText>
            <Input inputSize="sm" aria-label={`${prefix} ${i + 1} description`} placeholder="Description" value={f.description ?? ""} disabled={readOnly} onChange={(e) => set(i, { description: e.target.value || undefined })} />
            {kind === "input" && (
              <div className="flex items-center gap-3">
                <label className="flex items-center gap-1.5 text-[12.5px] text-fg">
                  <Checkbox checked={Boolean(f.required)} disabled={readOnly} onChange={(e) => set(i, { required: e.target.checked })} aria-label={`${prefix} ${i + 1} required`} />
                  Required
                </label>
                <Input
                  inputSize="sm"
                  className="flex-1"
                  aria-label={`${prefix} ${i + 1} default`}
                  placeholder="Default (optional)"
                  value={defaultText(f.default)}
                  disabled={readOnly}
                  invalid={Boolean(defaultError)}
                  onChange={(e) => set(i, { default: parseDefault(e.target.value, f.type) })}
                />
              </div>
            )}
            <ErrorText>{defaultError}</ErrorText>
          </fieldset>
        );
      })}
      {!readOnly && (
        <Button size="sm" icon={<PlusIcon className="size-3.5" />} onClick={() => onFields([...fields, { name: `field_${fields.length + 1}`, type: "string", ...(kind === "input" ? { required: false } : {}) }])}>
          Add {kind} field
        </Button>
      )}
    </div>
  );
}

/** An expression box parsed on every keystroke: the parser's message and column show at once. */
function ExpressionInput({ label, value, readOnly, onValue, error }: { label: string; value: string; readOnly: boolean; onValue: (v: string) => void; error?: string }) {
  const id = useId();
  const parsed = value.trim() ? parseFlowExpression(value) : null;
  const parseError = parsed && "error" in parsed ? parsed.error : null;
  const message = parseError ? parseError.message : error;
  return (
    <div>
      <textarea
        id={id}
        aria-label={label}
        rows={value.length > 40 ? 3 : 1}
        spellCheck={false}
        value={value}
        disabled={readOnly}
        aria-invalid={Boolean(message) || undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        onChange={(e) => onValue(e.target.value)}
        className={cx(controlClasses, "min-h-8 resize-y py-1.5 font-mono text-[12.5px]")}
      />
      {parseError && (
        <pre aria-hidden className="overflow-hidden px-[13px] font-mono text-[12.5px] leading-tight whitespace-pre text-danger">
          {" ".repeat(Math.min(parseError.position, 200)) + "^"}
        </pre>
      )}
      <ErrorText id={`${id}-error`}>{message}</ErrorText>
    </div>
  );
}

function NamesHint({ graph, node }: { graph: FlowGraphInput; node: FlowNodeInput }) {
  const input = graph.nodes.find((n): n is FlowNodeInputOf<"input"> => n.type === "input");
  const fields = input?.data.fields ?? [];
  const upstream = upstreamNodes(graph, node.id).filter((id) => graph.nodes.find((n) => n.id === id)?.type !== "input");
  return (
    <details className="text-[12px] text-fg-muted">
      <summary className="cursor-pointer select-none">Names and functions you can use</summary>
      <div className="mt-1.5 space-y-1">
        <p>
          Inputs: {fields.length ? fields.map((f) => <code key={f.name} className="mr-1 font-mono text-fg">input.{f.name}</code>) : <em>none</em>}
        </p>
        {upstream.length > 0 && (
          <p>
            Earlier nodes: {upstream.map((id) => <code key={id} className="mr-1 font-mono text-fg">steps.{id}.output</code>)}
          </p>
        )}
        <p>
          Functions: <span className="font-mono">{EXPRESSION_FUNCTIONS.join(", ")}</span>
        </p>
        <p>Operators: + - * / % == != &lt; &lt;= &gt; &gt;= &amp;&amp; || ! in</p>
      </div>
    </details>
  );
}

function MappingsEditor({ graph, node, readOnly, onData, err }: { graph: FlowGraphInput; node: FlowNodeInputOf<"transform">; readOnly: boolean; onData: (d: FlowNodeInputOf<"transform">["data"]) => void; err: FieldErrors }) {
  const mappings = node.data.mappings ?? [];
  const set = (i: number, patch: Partial<{ target: string; expression: string }>) => onData({ ...node.data, mappings: mappings.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  return (
    <div className="space-y-3">
      {mappings.length === 0 && <p className="text-[12.5px] text-fg-subtle">No mappings yet: add one.</p>}
      {mappings.map((m, i) => (
        <div key={i} className="space-y-1.5 rounded-lg border border-border bg-surface-2/50 p-2.5">
          <div className="flex items-center gap-1.5">
            <Input inputSize="sm" className="flex-1 font-mono" aria-label={`Mapping ${i + 1} target`} placeholder="target" value={m.target} disabled={readOnly} invalid={Boolean(err(`data.mappings[${i}].target`))} onChange={(e) => set(i, { target: e.target.value })} />
            <span aria-hidden className="text-fg-subtle">←</span>
            {!readOnly && <Button variant="ghost" size="sm" aria-label={`Remove mapping ${i + 1}`} onClick={() => onData({ ...node.data, mappings: mappings.filter((_, j) => j !== i) })} icon={<XIcon className="size-3.5" />} />}
          </div>
          <ErrorText>{err(`data.mappings[${i}].target`)}</ErrorText>
          <ExpressionInput label={`Mapping ${i + 1} expression`} value={m.expression} readOnly={readOnly} onValue={(v) => set(i, { expression: v })} error={err(`data.mappings[${i}].expression`)} />
        </div>
      ))}
      {!readOnly && (
        <Button size="sm" icon={<PlusIcon className="size-3.5" />} onClick={() => onData({ ...node.data, mappings: [...mappings, { target: `field_${mappings.length + 1}`, expression: "" }] })}>
          Add mapping
        </Button>
      )}
      <NamesHint graph={graph} node={node} />
    </div>
  );
}

function PairsEditor({ label, keyLabel, valueLabel, pairs, readOnly, onPairs, err, errKey }: { label: string; keyLabel: string; valueLabel: string; pairs: Record<string, string>; readOnly: boolean; onPairs: (p: Record<string, string>) => void; err: FieldErrors; errKey: string }) {
  // Rows are kept as a list while editing so an empty or duplicate key does not lose a row;
  // when the pairs change elsewhere (the manifest panel), the rows follow.
  const [rows, setRows] = useState<[string, string][]>(() => Object.entries(pairs));
  const asPairs = (list: [string, string][]) => Object.fromEntries(list.filter(([k]) => k.trim() !== ""));
  if (JSON.stringify(asPairs(rows)) !== JSON.stringify(asPairs(Object.entries(pairs)))) setRows(Object.entries(pairs));
  const commit = (next: [string, string][]) => {
    setRows(next);
    onPairs(asPairs(next));
  };
  return (
    <div className="space-y-1.5">
      {rows.map(([k, v], i) => (
        <div key={i} className="flex gap-1.5">
          <Input inputSize="sm" className="w-2/5 font-mono" aria-label={`${keyLabel} ${i + 1}`} placeholder="name" value={k} disabled={readOnly} onChange={(e) => commit(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
          <Input inputSize="sm" className="flex-1 font-mono" aria-label={`${valueLabel} ${i + 1}`} placeholder="value" value={v} disabled={readOnly} invalid={Boolean(err(`${errKey}.${k}`))} onChange={(e) => commit(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
          {!readOnly && <Button variant="ghost" size="sm" aria-label={`Remove ${keyLabel.toLowerCase()} ${i + 1}`} onClick={() => commit(rows.filter((_, j) => j !== i))} icon={<XIcon className="size-3.5" />} />}
        </div>
      ))}
      {rows.map(([k]) => err(`${errKey}.${k}`)).filter(Boolean).map((m, i) => <ErrorText key={i}>{m}</ErrorText>)}
      {!readOnly && (
        <Button size="xs" icon={<PlusIcon className="size-3" />} onClick={() => setRows([...rows, ["", ""]])}>
          {label}
        </Button>
      )}
    </div>
  );
}

function BodyEditor({ value, readOnly, onBody, error }: { value: unknown; readOnly: boolean; onBody: (b: unknown) => void; error?: string }) {
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [jsonError, setJsonError] = useState<string | null>(null);
  // The body changed elsewhere (the manifest panel) while the text here parses: show the new one.
  const shown = parseJsonText(text);
  if (!jsonError && shown.ok && JSON.stringify(shown.value) !== JSON.stringify(value)) setText(value === undefined ? "" : JSON.stringify(value, null, 2));
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-[12px] font-medium text-fg">
        Body (JSON template)
      </label>
      <textarea
        id={id}
        rows={4}
        spellCheck={false}
        value={text}
        disabled={readOnly}
        placeholder={'{ "query": "${input.value}" }'}
        aria-invalid={Boolean(jsonError ?? error) || undefined}
        className={cx(controlClasses, "resize-y py-1.5 font-mono text-[12.5px]")}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (!next.trim()) {
            setJsonError(null);
            return onBody(undefined);
          }
          try {
            const parsed = JSON.parse(next) as unknown;
            setJsonError(null);
            onBody(parsed);
          } catch (err) {
            setJsonError(`not valid JSON yet: ${(err as Error).message}`);
          }
        }}
      />
      <ErrorText>{jsonError ?? error}</ErrorText>
    </div>
  );
}

function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function HttpEditor({ node, readOnly, onData, err }: { node: FlowNodeInputOf<"http">; readOnly: boolean; onData: (d: FlowNodeInputOf<"http">["data"]) => void; err: FieldErrors }) {
  const d = node.data;
  const urlId = useId();
  const methodId = useId();
  const urlError = err("data.url");
  const method = d.method ?? "GET";
  return (
    <div className="space-y-3">
      <div className="flex gap-1.5">
        <div className="w-24">
          <label htmlFor={methodId} className="mb-1 block text-[12px] font-medium text-fg">
            Method
          </label>
          <Select id={methodId} selectSize="sm" value={method} disabled={readOnly} onChange={(e) => onData({ ...d, method: e.target.value as typeof method })}>
            {HTTP_METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </Select>
        </div>
        <div className="min-w-0 flex-1">
          <label htmlFor={urlId} className="mb-1 block text-[12px] font-medium text-fg">
            URL template
          </label>
          <Input id={urlId} inputSize="sm" className="font-mono" value={d.url} disabled={readOnly} invalid={Boolean(urlError)} onChange={(e) => onData({ ...d, url: e.target.value })} />
        </div>
      </div>
      <ErrorText>{urlError}</ErrorText>
      <p className="text-[11.5px] text-fg-subtle">
        Placeholders: <code className="font-mono">{"${input.name}"}</code>, <code className="font-mono">{"${config.KEY}"}</code>. The host is fixed.
      </p>
      <div>
        <p className="mb-1 text-[12px] font-medium text-fg">Headers</p>
        <PairsEditor label="Add header" keyLabel="Header name" valueLabel="Header value" pairs={d.headers ?? {}} readOnly={readOnly} onPairs={(headers) => onData({ ...d, headers })} err={err} errKey="data.headers" />
      </div>
      {method !== "GET" && <BodyEditor value={d.body} readOnly={readOnly} onBody={(body) => onData({ ...d, body })} error={err("data.body")} />}
      <div>
        <p className="mb-1 text-[12px] font-medium text-fg">Response mapping</p>
        <p className="mb-1.5 text-[11.5px] text-fg-subtle">Output name → path in the response body (<code className="font-mono">main.temp</code>). Empty: the whole body.</p>
        <PairsEditor label="Add response field" keyLabel="Response field name" valueLabel="Response field path" pairs={d.responseMapping ?? {}} readOnly={readOnly} onPairs={(responseMapping) => onData({ ...d, responseMapping })} err={err} errKey="data.responseMapping" />
      </div>
    </div>
  );
}

function ConnectionsEditor({ graph, node, readOnly, onChange }: { graph: FlowGraphInput; node: FlowNodeInput; readOnly: boolean; onChange: (g: FlowGraphInput) => void }) {
  const outgoing = graph.edges.filter((e) => e.source === node.id);
  const incoming = graph.edges.filter((e) => e.target === node.id);
  const targets = graph.nodes.filter((n) => n.id !== node.id && n.type !== "input");
  const [pick, setPick] = useState("");
  const branchId = useId();
  const addId = useId();
  const branches: ("true" | "false")[] = node.type === "condition" ? ["true", "false"] : [];
  return (
    <div className="space-y-2 text-[12.5px]">
      <p className="text-fg-muted">
        From: {incoming.length ? incoming.map((e) => <code key={e.id} className="mr-1 font-mono text-fg">{e.source}</code>) : <em>nothing yet</em>}
      </p>
      {node.type === "output" ? (
        <p className="text-fg-subtle">An output ends the flow.</p>
      ) : branches.length ? (
        branches.map((b) => {
          const edge = outgoing.find((e) => e.sourceHandle === b);
          return (
            <div key={b} className="flex items-center gap-2">
              <label htmlFor={`${branchId}-${b}`} className={cx("w-20 font-medium", b === "true" ? "text-success" : "text-danger")}>
                When {b}
              </label>
              <Select
                id={`${branchId}-${b}`}
                selectSize="sm"
                className="flex-1"
                value={edge?.target ?? ""}
                disabled={readOnly}
                onChange={(e) => {
                  const without = removeElements(graph, [], edge ? [edge.id] : []);
                  onChange(e.target.value ? connect(without, node.id, e.target.value, b) : without);
                }}
              >
                <option value="">Not connected</option>
                {targets.map((t) => (
                  <option key={t.id} value={t.id}>
                    {NODE_TYPE_LABELS[t.type]}: {t.id}
                  </option>
                ))}
              </Select>
            </div>
          );
        })
      ) : (
        <>
          <ul className="space-y-1">
            {outgoing.length === 0 && <li className="text-fg-subtle">Not connected to a next node.</li>}
            {outgoing.map((e) => (
              <li key={e.id} className="flex items-center justify-between gap-2">
                <span>
                  → <code className="font-mono text-fg">{e.target}</code>
                </span>
                {!readOnly && <Button variant="ghost" size="xs" aria-label={`Disconnect from ${e.target}`} onClick={() => onChange(removeElements(graph, [], [e.id]))} icon={<XIcon className="size-3" />} />}
              </li>
            ))}
          </ul>
          {!readOnly && (
            <div className="flex items-center gap-1.5">
              <Select id={addId} selectSize="sm" className="flex-1" aria-label="Connect to node" value={pick} onChange={(e) => setPick(e.target.value)}>
                <option value="">Connect to…</option>
                {targets.filter((t) => !outgoing.some((e) => e.target === t.id)).map((t) => (
                  <option key={t.id} value={t.id}>
                    {NODE_TYPE_LABELS[t.type]}: {t.id}
                  </option>
                ))}
              </Select>
              <Button
                size="sm"
                disabled={!pick}
                onClick={() => {
                  onChange(connect(graph, node.id, pick));
                  setPick("");
                }}
              >
                Connect
              </Button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

export function NodePanel({ graph, node, errors, readOnly, onChange, onSelect }: NodePanelProps) {
  const index = graph.nodes.findIndex((n) => n.id === node.id);
  const base = `nodes[${index}].`;
  const err: FieldErrors = (suffix) => {
    // The wizard may prefix paths (`actions[0].flow.nodes[1]…`): compare from `nodes[` on.
    const hits = errors.filter((e) => e.path.replace(/^.*?(?=nodes\[)/, "") === base + suffix);
    return hits.length ? hits.map((e) => e.message).join("; ") : undefined;
  };
  const onData = (data: FlowNodeInput["data"]) => onChange(updateNodeData(graph, node.id, data));
  const type = node.type;

  return (
    <div className="flex h-full flex-col" data-testid="flow-node-panel">
      <header className="flex items-start gap-2.5 px-4 pt-3 pb-2">
        <NodeGlyph type={type} className="mt-0.5" />
        <div className="min-w-0 flex-1">
          <h3 className="text-sm font-semibold text-fg">{NODE_TYPE_LABELS[type]}</h3>
          <p className="text-[12px] text-fg-subtle">{NODE_TYPE_HINTS[type]}</p>
        </div>
        <Button variant="ghost" size="xs" aria-label="Close node settings" onClick={() => onSelect(null)} icon={<XIcon className="size-3.5" />} />
      </header>
      {errors.length > 0 && (
        <div role="alert" className="mx-4 mb-2 rounded-lg border border-danger/25 bg-danger-soft px-3 py-2 text-[12.5px] text-danger">
          <p className="font-medium">This node has {errors.length === 1 ? "a problem" : `${errors.length} problems`}</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-4">
            {errors.map((e, i) => (
              <li key={i}>{e.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="px-4 pb-3">
        <NodeIdField key={node.id} graph={graph} node={node} readOnly={readOnly} onChange={onChange} onSelect={onSelect} />
      </div>
      {(type === "input" || type === "output") && (
        <Section title={type === "input" ? "Input fields" : "Output fields"}>
          <FieldsEditor key={node.id} kind={type} fields={(node.data.fields ?? []) as AnyField[]} readOnly={readOnly} onFields={(fields) => onData({ ...node.data, fields } as FlowNodeInput["data"])} err={err} />
        </Section>
      )}
      {type === "http" && (
        <Section title="Request">
          <HttpEditor key={node.id} node={node} readOnly={readOnly} onData={onData} err={err} />
        </Section>
      )}
      {type === "transform" && (
        <Section title="Mappings">
          <MappingsEditor graph={graph} node={node} readOnly={readOnly} onData={onData} err={err} />
        </Section>
      )}
      {type === "condition" && (
        <Section title="Condition">
          <ExpressionInput label="Condition expression" value={node.data.expression} readOnly={readOnly} onValue={(expression) => onData({ ...node.data, expression })} error={err("data.expression")} />
          <p className="text-[11.5px] text-fg-subtle">Connect the green handle for true and the red handle for false.</p>
          <NamesHint graph={graph} node={node} />
        </Section>
      )}
      <Section title="Connections">
        <ConnectionsEditor key={node.id} graph={graph} node={node} readOnly={readOnly} onChange={onChange} />
      </Section>
      {!readOnly && (
        <div className="mt-auto border-t border-border px-4 py-3">
          <Button variant="danger-ghost" size="sm" onClick={() => { onChange(removeElements(graph, [node.id])); onSelect(null); }}>
            Delete node
          </Button>
        </div>
      )}
    </div>
  );
}
