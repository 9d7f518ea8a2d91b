"use client";
// The API-connector form of the builder: the API's base URL and auth kind (whose secrets
// become required configuration), then one endpoint per action: method, path with {input}
// placeholders, the inputs it uses, query and header templates, a JSON body template and
// the response mapping (output ← path in the response). Validation is live: every change
// runs connectorToManifestFields (the registry's own validation on the produced fields) and
// each error shows under its field, with the caller's errors (same manifest paths) merged in.
import { useId, useMemo, type ReactNode } from "react";
import { AlertIcon, LockIcon, PlusIcon, XIcon } from "@/components/icons";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { FieldMessage, Label, TextField } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { BuilderField } from "@/lib/builder/code/code-template";
import {
  AUTH_KINDS,
  authSecrets,
  connectorToManifestFields,
  endpointFor,
  inputsUsed,
  pathPlaceholders,
  withEndpoint,
  type AuthDraft,
  type AuthKind,
  type ConnectorDraft,
  type EndpointDraft,
  type TemplatePair,
} from "@/lib/builder/connector/connector-draft";
import { HTTP_METHODS } from "@/lib/registry/manifest-schema";

export interface ConnectorFormProps {
  value: ConnectorDraft;
  onChange: (c: ConnectorDraft) => void;
  actions: { id: string; name?: string; inputs: BuilderField[]; outputs?: BuilderField[] }[];
  /** Errors from the caller (manifest paths such as `endpoints[0].path`), shown with the form's own. */
  errors: { path: string; message: string }[];
  /** The configuration's keys: `${config.X}` references are checked when given. */
  configKeys?: string[];
  readOnly?: boolean;
}

const AUTH_LABELS: Record<AuthKind, string> = {
  none: "None",
  api_key: "API key",
  bearer: "Bearer token",
  basic: "Basic auth",
  oauth2: "OAuth 2 client credentials",
};

type Err = { path: string; message: string };

export function ConnectorForm({ value, onChange, actions, errors, configKeys, readOnly = false }: ConnectorFormProps) {
  const local = useMemo(() => connectorToManifestFields(value, actions.map((a) => ({ id: a.id, name: a.name, inputs: a.inputs, outputs: a.outputs ?? [] })), { configKeys }), [value, actions, configKeys]);
  const all = useMemo(() => {
    const seen = new Set<string>();
    const out: Err[] = [];
    for (const e of [...local.errors, ...errors.map((e) => ({ ...e, path: e.path.replace(/^manifest\./, "") }))]) {
      const k = `${e.path}\u0000${e.message}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e);
      }
    }
    return out;
  }, [local.errors, errors]);
  const at = (pred: (path: string) => boolean) => all.filter((e) => pred(e.path)).map((e) => e.message);
  const exact = (path: string) => at((p) => p === path);
  const secrets = authSecrets(value.auth);
  const setAuth = (patch: Partial<AuthDraft>) => onChange({ ...value, auth: { ...value.auth, ...patch } });

  return (
    <div className="space-y-4" data-testid="connector-form" data-errors={all.length}>
      <Card className="space-y-4 p-4">
        <div>
          <h3 className="text-[14px] font-semibold text-fg">API</h3>
          <p className="text-[12.5px] text-fg-muted">Where requests go and how they authenticate. The host is added to the allowed domains.</p>
        </div>
        <TextField
          label="Base URL"
          type="url"
          inputMode="url"
          placeholder="https://api.example.com/v1"
          value={value.baseUrl}
          onChange={(e) => onChange({ ...value, baseUrl: e.target.value })}
          error={joinMessages(exact("api.base_url"))}
          hint="Every endpoint path is appended to it."
          readOnly={readOnly}
          spellCheck={false}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField label="Authentication" value={value.auth.kind} onChange={(v) => setAuth({ kind: v as AuthKind })} disabled={readOnly} error={joinMessages(at((p) => p === "api.auth" || p === "api.auth.type"))}>
            {AUTH_KINDS.map((k) => (
              <option key={k} value={k}>
                {AUTH_LABELS[k]}
              </option>
            ))}
          </SelectField>
          {value.auth.kind === "api_key" && (
            <SelectField label="Send the key in" value={value.auth.in} onChange={(v) => setAuth({ in: v as "header" | "query" })} disabled={readOnly}>
              <option value="header">A header</option>
              <option value="query">A query parameter</option>
            </SelectField>
          )}
        </div>
        <AuthFields auth={value.auth} setAuth={setAuth} readOnly={readOnly} messages={(f) => joinMessages(exact(`api.auth.${f}`))} />
        {secrets.length > 0 && (
          <div className="rounded-lg border border-security/25 bg-security/5 px-3 py-2.5 text-[12.5px]" data-testid="connector-secrets">
            <p className="flex items-center gap-1.5 font-medium text-fg">
              <LockIcon className="size-3.5 text-security" />
              Installers enter {secrets.length === 1 ? "this secret" : "these secrets"}
            </p>
            <ul className="mt-1 flex flex-wrap gap-1.5">
              {secrets.map((s, i) => (
                <li key={`${s.key}-${i}`}>
                  <Badge tone="security" mono>
                    {s.key || "(unnamed)"}
                  </Badge>
                </li>
              ))}
            </ul>
            <p className="mt-1 text-fg-muted">They are added to the configuration as required secrets, masked everywhere and never logged.</p>
          </div>
        )}
      </Card>

      {actions.length === 0 ? (
        <Card className="px-5 py-8 text-center">
          <p className="text-[14px] font-medium text-fg">No actions yet</p>
          <p className="mt-1 text-[12.5px] text-fg-muted">Each action is one endpoint of the API. Add an action in the Actions step, then describe its request here.</p>
        </Card>
      ) : (
        actions.map((a, i) => (
          <EndpointCard
            key={a.id || i}
            index={i}
            action={a}
            endpoint={endpointFor(value, a.id)}
            onChange={(e) => onChange(withEndpoint(value, e))}
            errors={all.filter((e) => e.path.startsWith(`endpoints[${i}].`) || e.path === `endpoints[${i}]` || e.path === `actions[${i}].id`)}
            readOnly={readOnly}
          />
        ))
      )}

      {all.length > 0 && (
        <div role="status" aria-live="polite" className="rounded-lg border border-danger/20 bg-danger-soft px-3 py-2.5 text-[12.5px]" data-testid="connector-errors">
          <p className="flex items-center gap-1.5 font-medium text-danger">
            <AlertIcon className="size-3.5" />
            {all.length} problem{all.length === 1 ? "" : "s"} in the connector
          </p>
          <ul className="mt-1 space-y-0.5">
            {all.map((e, i) => (
              <li key={i} data-path={e.path}>
                <code className="mr-1.5 font-mono text-[11.5px] text-fg">{e.path}</code>
                <span className="text-fg-muted">{e.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function joinMessages(messages: string[]): string | undefined {
  return messages.length ? messages.join("; ") : undefined;
}

function SelectField({ label, value, onChange, children, disabled, error, className }: { label: string; value: string; onChange: (v: string) => void; children: ReactNode; disabled?: boolean; error?: string; className?: string }) {
  const id = useId();
  return (
    <div className={className}>
      <Label htmlFor={id} className="mb-1.5">
        {label}
      </Label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-message` : undefined}>
        {children}
      </Select>
      <FieldMessage id={`${id}-message`} error={error} />
    </div>
  );
}

function AuthFields({ auth, setAuth, readOnly, messages }: { auth: AuthDraft; setAuth: (p: Partial<AuthDraft>) => void; readOnly: boolean; messages: (field: string) => string | undefined }) {
  const keyField = (field: "keyFrom" | "tokenFrom" | "usernameFrom" | "passwordFrom" | "clientIdFrom" | "clientSecretFrom", label: string) => (
    <TextField
      label={label}
      value={auth[field]}
      onChange={(e) => setAuth({ [field]: e.target.value })}
      error={messages(field)}
      hint="The configuration key (a secret) it comes from."
      readOnly={readOnly}
      spellCheck={false}
      className="font-mono"
    />
  );
  switch (auth.kind) {
    case "api_key":
      return (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label={auth.in === "query" ? "Query parameter name" : "Header name"} value={auth.name} onChange={(e) => setAuth({ name: e.target.value })} error={messages("name")} readOnly={readOnly} spellCheck={false} />
          {keyField("keyFrom", "Key secret")}
        </div>
      );
    case "bearer":
      return <div className="grid gap-4 sm:grid-cols-2">{keyField("tokenFrom", "Token secret")}</div>;
    case "basic":
      return (
        <div className="grid gap-4 sm:grid-cols-2">
          {keyField("usernameFrom", "Username secret")}
          {keyField("passwordFrom", "Password secret")}
        </div>
      );
    case "oauth2":
      return (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField label="Token URL" type="url" placeholder="https://auth.example.com/oauth/token" value={auth.tokenUrl} onChange={(e) => setAuth({ tokenUrl: e.target.value })} error={messages("tokenUrl")} readOnly={readOnly} spellCheck={false} className="sm:col-span-2" />
          {keyField("clientIdFrom", "Client id secret")}
          {keyField("clientSecretFrom", "Client secret key")}
          <TextField
            label="Scopes"
            placeholder="read write"
            value={auth.scopes.join(" ")}
            onChange={(e) => setAuth({ scopes: e.target.value.split(/[\s,]+/) })}
            hint="Separated by spaces."
            readOnly={readOnly}
            spellCheck={false}
            className="sm:col-span-2"
          />
        </div>
      );
    default:
      return null;
  }
}

function EndpointCard({ index, action, endpoint, onChange, errors, readOnly }: { index: number; action: ConnectorFormProps["actions"][number]; endpoint: EndpointDraft; onChange: (e: EndpointDraft) => void; errors: Err[]; readOnly: boolean }) {
  const id = useId();
  const p = `endpoints[${index}]`;
  const msgs = (pred: (path: string) => boolean) => joinMessages(errors.filter((e) => pred(e.path)).map((e) => e.message));
  const used = new Set(inputsUsed(endpoint));
  const placeholders = new Set(pathPlaceholders(endpoint.path));
  const outputs = action.outputs ?? [];
  const set = (patch: Partial<EndpointDraft>) => onChange({ ...endpoint, ...patch });
  const hasBody = endpoint.method !== "GET" || endpoint.body.trim() !== "";
  const title = action.name?.trim() || action.id || `Action ${index + 1}`;

  return (
    <Card className="space-y-4 p-4" data-testid="connector-endpoint" data-action={action.id}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="text-[14px] font-semibold text-fg">
          {title} {action.id && action.id !== title && <code className="ml-1 font-mono text-[12px] font-normal text-fg-subtle">{action.id}</code>}
        </h3>
        {errors.length > 0 ? <Badge tone="danger">{errors.length} problem{errors.length === 1 ? "" : "s"}</Badge> : <Badge tone="success">Valid</Badge>}
      </div>

      <div className="grid gap-3 sm:grid-cols-[8rem_minmax(0,1fr)]">
        <div>
          <Label htmlFor={`${id}-method`} className="mb-1.5">
            Method
          </Label>
          <Select id={`${id}-method`} aria-label={`Method of ${action.id}`} value={endpoint.method} onChange={(e) => set({ method: e.target.value as EndpointDraft["method"] })} disabled={readOnly}>
            {HTTP_METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </Select>
        </div>
        <div>
          <Label htmlFor={`${id}-path`} className="mb-1.5">
            Path
          </Label>
          <Input
            id={`${id}-path`}
            aria-label={`Path of ${action.id}`}
            value={endpoint.path}
            onChange={(e) => set({ path: e.target.value })}
            placeholder="/items/{id}"
            invalid={Boolean(msgs((x) => x === `${p}.path`))}
            aria-describedby={`${id}-path-message`}
            readOnly={readOnly}
            spellCheck={false}
            className="font-mono text-[13px]"
          />
          <FieldMessage id={`${id}-path-message`} error={msgs((x) => x === `${p}.path` || x === `${p}.method` || x === `${p}.id` || x === `actions[${index}].id`)} hint={<>Write <code className="font-mono">{"{input}"}</code> for an input, URL-encoded.</>} />
        </div>
      </div>

      {action.inputs.length > 0 && (
        <div>
          <p className="mb-1.5 text-[12.5px] font-medium text-fg">Inputs used</p>
          <ul className="flex flex-wrap gap-1.5" aria-label={`Inputs of ${action.id}`}>
            {action.inputs.map((f) => {
              const isUsed = used.has(f.name);
              return (
                <li key={f.name}>
                  <button
                    type="button"
                    disabled={readOnly || isUsed}
                    onClick={() => set({ query: [...endpoint.query, { key: f.name, value: `{{${f.name}}}` }] })}
                    title={isUsed ? (placeholders.has(f.name) ? "In the path" : "Used in the request") : "Not sent: click to add it as a query parameter"}
                    className={cx(
                      "inline-flex items-center gap-1 rounded-md border px-2 py-0.5 font-mono text-[12px] outline-none focus-visible:ring-2 focus-visible:ring-ring",
                      isUsed ? "border-success/30 bg-success-soft text-success" : "border-border-strong/70 text-fg-muted hover:border-accent hover:text-fg",
                    )}
                  >
                    {isUsed ? "✓" : <PlusIcon className="size-3" />}
                    {f.name}
                    {f.required && <span className="text-danger" aria-label="required">*</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}

      <PairsEditor
        title="Query parameters"
        what="query parameter"
        actionId={action.id}
        pairs={endpoint.query}
        onChange={(query) => set({ query })}
        error={(j, key) => msgs((x) => x === `${p}.query[${j}].key` || (key !== "" && (x === `${p}.query.${key}` || x.startsWith(`${p}.query.${key}.`))))}
        readOnly={readOnly}
        placeholder={{ key: "limit", value: "${input.limit}" }}
      />
      <PairsEditor
        title="Headers"
        what="header"
        actionId={action.id}
        pairs={endpoint.headers}
        onChange={(headers) => set({ headers })}
        error={(j, key) => msgs((x) => x === `${p}.headers[${j}].key` || (key !== "" && (x === `${p}.headers.${key}` || x.startsWith(`${p}.headers.${key}.`))))}
        readOnly={readOnly}
        placeholder={{ key: "Accept", value: "application/json" }}
      />

      {hasBody ? (
        <div>
          <Label htmlFor={`${id}-body`} className="mb-1.5">
            Body template (JSON)
          </Label>
          <textarea
            id={`${id}-body`}
            aria-label={`Body of ${action.id}`}
            value={endpoint.body}
            onChange={(e) => set({ body: e.target.value })}
            rows={5}
            spellCheck={false}
            readOnly={readOnly}
            placeholder={'{\n  "title": "${input.title}"\n}'}
            aria-invalid={msgs((x) => x.startsWith(`${p}.body`)) ? true : undefined}
            aria-describedby={`${id}-body-message`}
            className="block w-full resize-y rounded-lg border border-border-strong/80 bg-surface px-3 py-2 font-mono text-[12.5px] text-fg shadow-card outline-none placeholder:text-fg-subtle focus:border-accent focus:ring-3 focus:ring-ring/25 aria-invalid:border-danger"
          />
          <FieldMessage id={`${id}-body-message`} error={msgs((x) => x.startsWith(`${p}.body`))} hint={<>Empty for no body. Use <code className="font-mono">{"${input.name}"}</code> and <code className="font-mono">{"${config.KEY}"}</code>; values are JSON-encoded.</>} />
        </div>
      ) : null}

      <div>
        <div className="mb-1.5 flex items-center justify-between gap-2">
          <p className="text-[12.5px] font-medium text-fg">Response mapping</p>
          {!readOnly && (
            <Button size="xs" variant="ghost" icon={<PlusIcon className="size-3.5" />} onClick={() => set({ responseMapping: [...endpoint.responseMapping, { output: outputs.find((o) => !endpoint.responseMapping.some((m) => m.output === o.name))?.name ?? "", path: "" }] })}>
              Map an output
            </Button>
          )}
        </div>
        {endpoint.responseMapping.length === 0 ? (
          <p className="text-[12.5px] text-fg-subtle">Without a mapping the whole response body is the output.</p>
        ) : (
          <ul className="space-y-2">
            {endpoint.responseMapping.map((m, j) => {
              const err = msgs((x) => x.startsWith(`${p}.responseMapping[${j}].`) || (m.output !== "" && x === `${p}.response_mapping.${m.output}`));
              const setRow = (patch: Partial<typeof m>) => set({ responseMapping: endpoint.responseMapping.map((r, k) => (k === j ? { ...r, ...patch } : r)) });
              return (
                <li key={j}>
                  <div className="grid grid-cols-[minmax(0,10rem)_auto_minmax(0,1fr)_auto] items-center gap-2">
                    {outputs.length ? (
                      <Select selectSize="sm" aria-label={`Output ${j + 1} of ${action.id}`} value={m.output} onChange={(e) => setRow({ output: e.target.value })} disabled={readOnly}>
                        <option value="">Choose an output</option>
                        {outputs.map((o) => (
                          <option key={o.name} value={o.name}>
                            {o.name}
                          </option>
                        ))}
                        {m.output && !outputs.some((o) => o.name === m.output) && <option value={m.output}>{m.output} (not declared)</option>}
                      </Select>
                    ) : (
                      <Input inputSize="sm" aria-label={`Output ${j + 1} of ${action.id}`} value={m.output} onChange={(e) => setRow({ output: e.target.value })} readOnly={readOnly} placeholder="output" className="font-mono" />
                    )}
                    <span aria-hidden className="text-fg-subtle">←</span>
                    <Input inputSize="sm" aria-label={`Response path ${j + 1} of ${action.id}`} value={m.path} onChange={(e) => setRow({ path: e.target.value })} placeholder="data.items[0].name" readOnly={readOnly} invalid={Boolean(err)} spellCheck={false} className="font-mono" />
                    {!readOnly && (
                      <button type="button" aria-label={`Remove mapping ${j + 1} of ${action.id}`} className="grid size-7 place-items-center rounded text-fg-subtle hover:bg-surface-2 hover:text-fg" onClick={() => set({ responseMapping: endpoint.responseMapping.filter((_, k) => k !== j) })}>
                        <XIcon className="size-3.5" />
                      </button>
                    )}
                  </div>
                  {err && <p className="mt-1 text-[12px] text-danger">{err}</p>}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Card>
  );
}

function PairsEditor({ title, what, actionId, pairs, onChange, error, readOnly, placeholder }: { title: string; what: string; actionId: string; pairs: TemplatePair[]; onChange: (p: TemplatePair[]) => void; error: (j: number, key: string) => string | undefined; readOnly: boolean; placeholder: TemplatePair }) {
  return (
    <div>
      <div className="mb-1.5 flex items-center justify-between gap-2">
        <p className="text-[12.5px] font-medium text-fg">{title}</p>
        {!readOnly && (
          <Button size="xs" variant="ghost" icon={<PlusIcon className="size-3.5" />} onClick={() => onChange([...pairs, { key: "", value: "" }])} aria-label={`Add a ${what} to ${actionId}`}>
            Add
          </Button>
        )}
      </div>
      {pairs.length === 0 ? (
        <p className="text-[12.5px] text-fg-subtle">None.</p>
      ) : (
        <ul className="space-y-2">
          {pairs.map((pair, j) => {
            const err = error(j, pair.key.trim());
            const setPair = (patch: Partial<TemplatePair>) => onChange(pairs.map((x, k) => (k === j ? { ...x, ...patch } : x)));
            return (
              <li key={j}>
                <div className="grid grid-cols-[minmax(0,10rem)_minmax(0,1fr)_auto] items-center gap-2">
                  <Input inputSize="sm" aria-label={`${title} ${j + 1} name (${actionId})`} value={pair.key} onChange={(e) => setPair({ key: e.target.value })} placeholder={placeholder.key} readOnly={readOnly} invalid={Boolean(err)} spellCheck={false} className="font-mono" />
                  <Input inputSize="sm" aria-label={`${title} ${j + 1} value (${actionId})`} value={pair.value} onChange={(e) => setPair({ value: e.target.value })} placeholder={placeholder.value} readOnly={readOnly} spellCheck={false} className="font-mono" />
                  {!readOnly && (
                    <button type="button" aria-label={`Remove ${what} ${j + 1} of ${actionId}`} className="grid size-7 place-items-center rounded text-fg-subtle hover:bg-surface-2 hover:text-fg" onClick={() => onChange(pairs.filter((_, k) => k !== j))}>
                      <XIcon className="size-3.5" />
                    </button>
                  )}
                </div>
                {err && <p className="mt-1 text-[12px] text-danger">{err}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
