"use client";
// Installing a capability on an agent, as one form in three numbered steps: 1 the agent
// (an existing one, or a new one created on submit), 2 consent to each requested
// permission (unchecking shows which actions that disables) and to the dependencies the
// dry run plans, 3 the configuration the manifest asks for. A capability that needs no
// configuration installs with "Install → Grant & install" when the agent is known.
import Link from "next/link";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ApprovalWait, isApprovalPending, type ApprovalPending } from "./approval-wait";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { ConfigFields, configErrorsFromApi, draftToPayload, initialDraft, type ConfigDraft, type ConfigFieldSpec } from "@/components/agents/config-fields";
import { PermissionChecklist, type ActionNeeds } from "@/components/agents/permission-checklist";
import { CheckCircleIcon, LayersIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, LinkButton } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Dialog } from "@/components/ui/dialog";
import { FieldMessage, Label } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import type { AgentRecord } from "@/lib/agents/agent-record";
import type { InstallationView } from "@/lib/agents/installation-views";
import type { PlanItem } from "@/lib/agents/plan-dependencies";
import { CapabilityIcon } from "../capability-icon";
import type { PermissionInfoView } from "../permission-row";
import { RiskBadge } from "../risk-badge";

export interface InstallableCapability {
  slug: string;
  name: string;
  icon: string;
  version: string;
  risk: string;
  permissions: PermissionInfoView[];
  configuration: ConfigFieldSpec[];
  actions: ActionNeeds[];
}

const NEW_AGENT = "__new";

type Plan = { status: "idle" } | { status: "loading" } | { status: "ready"; deps: PlanItem[]; problems: string[] } | { status: "blocked"; message: string; installed: boolean } | { status: "error"; message: string };
type Result = { installation: InstallationView; dependencies: InstallationView[]; agent: { id: string; name: string } };

export function InstallDialog({ open, onClose, capability, preferredAgentId, onInstalled }: { open: boolean; onClose: () => void; capability: InstallableCapability; preferredAgentId?: string; onInstalled?: () => void }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [waiting, setWaiting] = useState<{ pending: ApprovalPending; agent: { id: string; name: string } } | null>(null);
  const close = () => {
    setResult(null);
    setWaiting(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      dismissible={!busy}
      size="lg"
      data-testid="install-dialog"
      title={
        <span className="flex items-center gap-2.5">
          <CapabilityIcon icon={capability.icon} size="sm" />
          <span>
            {result ? "Installed" : "Install"} {capability.name} <span className="font-mono text-[13px] font-normal text-fg-muted">v{capability.version}</span>
          </span>
        </span>
      }
      description={result ? undefined : "Choose the agent, decide what it may do, and fill in what it needs. Nothing is granted until you confirm."}
    >
      {open && !result && !waiting && (
        <InstallForm
          capability={capability}
          preferredAgentId={preferredAgentId}
          onBusy={setBusy}
          onCancel={close}
          onDone={(r) => {
            setResult(r);
            onInstalled?.();
          }}
          onPending={setWaiting}
        />
      )}
      {open && waiting && !result && (
        <ApprovalWait pending={waiting.pending} what={`installing ${capability.name} on ${waiting.agent.name}`} onSettled={(ok) => ok && onInstalled?.()} />
      )}
      {open && result && <InstallSuccess capability={capability} result={result} onClose={close} />}
    </Dialog>
  );
}

function InstallForm({
  capability,
  preferredAgentId,
  onBusy,
  onCancel,
  onDone,
  onPending,
}: {
  capability: InstallableCapability;
  preferredAgentId?: string;
  onBusy: (b: boolean) => void;
  onCancel: () => void;
  onDone: (r: Result) => void;
  onPending: (w: { pending: ApprovalPending; agent: { id: string; name: string } }) => void;
}) {
  const ids = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [agents, setAgents] = useState<AgentRecord[] | null>(null);
  const [agentsError, setAgentsError] = useState<string | null>(null);
  const [agentId, setAgentId] = useState("");
  const [newName, setNewName] = useState("");
  const [nameError, setNameError] = useState<string | undefined>();
  // The dry run's answer and the agent it is for; a different agent means "loading".
  const [planState, setPlanState] = useState<{ agentId: string; plan: Plan }>({ agentId: "", plan: { status: "idle" } });
  const [granted, setGranted] = useState<Set<string>>(() => new Set(capability.permissions.map((p) => p.name)));
  const [depGrants, setDepGrants] = useState<Record<string, Set<string>>>({});
  const [draft, setDraft] = useState<ConfigDraft>(() => initialDraft(capability.configuration));
  const [depDrafts, setDepDrafts] = useState<Record<string, ConfigDraft>>({});
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [depErrors, setDepErrors] = useState<Record<string, Record<string, string>>>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [focusError, setFocusError] = useState(0);

  // The agents to choose from; preselected when the page named one or there is only one.
  useEffect(() => {
    const controller = new AbortController();
    apiFetch<{ items: AgentRecord[] }>("/api/agents?limit=200", { signal: controller.signal })
      .then(({ items }) => {
        setAgents(items);
        const preferred = items.find((a) => a.id === preferredAgentId);
        setAgentId(preferred ? preferred.id : items.length === 1 ? items[0]!.id : items.length === 0 ? NEW_AGENT : "");
      })
      .catch((err) => {
        if (!controller.signal.aborted) setAgentsError(errorMessage(err));
      });
    return () => controller.abort();
  }, [preferredAgentId]);

  // A dry run against the chosen agent: already installed? which dependencies come along?
  const slug = capability.slug;
  const version = capability.version;
  const requested = capability.permissions.map((p) => p.name).join(",");
  const runPlan = useCallback(
    (id: string, signal?: AbortSignal) => {
      const setPlan = (plan: Plan) => setPlanState({ agentId: id, plan });
      apiFetch<{ valid: boolean; errors: { path: string; message: string }[]; plan: PlanItem[] }>(`/api/agents/${encodeURIComponent(id)}/installations`, {
        method: "POST",
        json: { capability: slug, version, grantedPermissions: requested ? requested.split(",") : [], dryRun: true },
        signal,
      })
        .then((res) => {
          const deps = res.plan.filter((p) => p.requiredBy !== null);
          setDepGrants((current) => Object.fromEntries(deps.filter((d) => d.action === "install").map((d) => [d.slug, current[d.slug] ?? new Set(d.requestedPermissions.map((p) => p.name))])));
          setDepDrafts((current) => Object.fromEntries(deps.filter((d) => d.action === "install").map((d) => [d.slug, current[d.slug] ?? initialDraft(d.configuration)])));
          // Only problems the form cannot fix: missing or conflicting dependencies.
          setPlan({ status: "ready", deps, problems: res.errors.filter((e) => e.path.startsWith("dependencies")).map((e) => e.message) });
        })
        .catch((err) => {
          if (signal?.aborted) return;
          if (err instanceof ApiError && err.status === 409) setPlan({ status: "blocked", message: err.message, installed: /already installed/i.test(err.message) });
          else setPlan({ status: "error", message: errorMessage(err) });
        });
    },
    [slug, version, requested],
  );

  const hasAgent = !!agentId && agentId !== NEW_AGENT;
  const plan: Plan = !hasAgent ? { status: "idle" } : planState.agentId === agentId ? planState.plan : { status: "loading" };
  const retryPlan = () => {
    setPlanState({ agentId, plan: { status: "loading" } });
    runPlan(agentId);
  };
  useEffect(() => {
    if (!agentId || agentId === NEW_AGENT) return;
    const controller = new AbortController();
    runPlan(agentId, controller.signal);
    return () => controller.abort();
  }, [agentId, runPlan]);

  // After a failed submit, move focus to the first field the server or the check named.
  useEffect(() => {
    if (!focusError) return;
    const el = formRef.current?.querySelector<HTMLElement>("[aria-invalid='true'], [data-error-summary]");
    el?.focus();
    el?.scrollIntoView({ block: "center" });
  }, [focusError]);

  const installDeps = plan.status === "ready" ? plan.deps.filter((d) => d.action === "install") : [];
  const depsWithConfig = installDeps.filter((d) => d.configuration.length > 0);
  const hasConfig = capability.configuration.length > 0 || depsWithConfig.length > 0;
  const agent = agents?.find((a) => a.id === agentId);
  const blocked = plan.status === "blocked" || (plan.status === "ready" && plan.problems.length > 0);
  const canSubmit = !!agents && !!agentId && !blocked && plan.status !== "loading" && !submitting;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!canSubmit) return;
    setFormErrors([]);
    setFieldErrors({});
    setDepErrors({});
    setNameError(undefined);

    const root = draftToPayload(capability.configuration, draft, { mode: "install" });
    const deps = installDeps.map((d) => ({ slug: d.slug, ...draftToPayload(d.configuration, depDrafts[d.slug] ?? {}, { mode: "install" }) }));
    const nameProblem = agentId === NEW_AGENT && !newName.trim() ? "Give the new agent a name." : undefined;
    if (nameProblem || Object.keys(root.errors).length || deps.some((d) => Object.keys(d.errors).length)) {
      setNameError(nameProblem);
      setFieldErrors(root.errors);
      setDepErrors(Object.fromEntries(deps.map((d) => [d.slug, d.errors])));
      setFocusError((n) => n + 1);
      return;
    }

    setSubmitting(true);
    onBusy(true);
    try {
      let target = agent ? { id: agent.id, name: agent.name } : null;
      if (agentId === NEW_AGENT) {
        const created = await apiFetch<AgentRecord>("/api/agents", { method: "POST", json: { name: newName.trim() } });
        setAgents((list) => [created, ...(list ?? [])]);
        setAgentId(created.id);
        target = { id: created.id, name: created.name };
      }
      if (!target) return;
      const body = {
        capability: capability.slug,
        version: capability.version,
        grantedPermissions: capability.permissions.map((p) => p.name).filter((p) => granted.has(p)),
        config: root.payload.config,
        secrets: root.payload.secrets,
        dependencyGrants: Object.fromEntries(Object.entries(depGrants).map(([slug, set]) => [slug, [...set]])),
        dependencyConfig: Object.fromEntries(deps.filter((d) => Object.keys(d.payload.config).length || Object.keys(d.payload.secrets).length).map((d) => [d.slug, d.payload])),
      };
      const res = await apiFetch<{ installation: InstallationView; installedDependencies: InstallationView[] } | ApprovalPending>(`/api/agents/${encodeURIComponent(target.id)}/installations`, { method: "POST", json: body });
      // The policy asks a person first (202): nothing is installed until it is approved.
      if (isApprovalPending(res)) onPending({ pending: res, agent: target });
      else onDone({ installation: res.installation, dependencies: res.installedDependencies, agent: target });
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.errors.length) {
        const root = configErrorsFromApi(err.errors);
        const byDep: Record<string, Record<string, string>> = {};
        for (const d of installDeps) byDep[d.slug] = configErrorsFromApi(err.errors, `dependencyConfig.${d.slug}.`);
        const placed = (path: string) => /^(config|secrets)\./.test(path) || installDeps.some((d) => path.startsWith(`dependencyConfig.${d.slug}.`));
        setFieldErrors(root);
        setDepErrors(byDep);
        setFormErrors(err.errors.filter((x) => !placed(x.path)).map((x) => `${x.path}: ${x.message}`));
        // A dependency that was not in the plan yet (new agent): plan now, so it can be consented to.
        if (err.errors.some((x) => x.path.startsWith("dependencyGrants") || x.path.startsWith("dependencyConfig"))) {
          if (hasAgent) retryPlan();
        }
      } else setFormErrors([errorMessage(err)]);
      setFocusError((n) => n + 1);
    } finally {
      setSubmitting(false);
      onBusy(false);
    }
  }


  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <ol className="relative space-y-6">
        {/* 1 · Agent */}
        <Step number={1} title="Agent" description="The agent that gets this capability.">
          {agentsError ? (
            <Alert tone="danger">{agentsError}</Alert>
          ) : !agents ? (
            <Skeleton className="h-9 w-full" />
          ) : (
            <div className="space-y-3">
              <div>
                <Label htmlFor={`${ids}-agent`} className="sr-only">
                  Agent
                </Label>
                <Select id={`${ids}-agent`} value={agentId} onChange={(e) => setAgentId(e.target.value)} disabled={submitting} data-testid="install-agent-select">
                  {agentId === "" && (
                    <option value="" disabled>
                      Choose an agent…
                    </option>
                  )}
                  {agents.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name} · {a.installationCount} installed
                    </option>
                  ))}
                  <option value={NEW_AGENT}>+ New agent…</option>
                </Select>
              </div>
              {agentId === NEW_AGENT && (
                <div>
                  <Label htmlFor={`${ids}-new-agent`} className="mb-1.5">
                    Name of the new agent
                  </Label>
                  <Input id={`${ids}-new-agent`} value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="e.g. Support assistant" maxLength={100} invalid={!!nameError} aria-describedby={`${ids}-new-agent-message`} disabled={submitting} data-testid="install-new-agent-name" autoFocus />
                  <FieldMessage id={`${ids}-new-agent-message`} error={nameError} hint="It is created when you install." />
                </div>
              )}
              {plan.status === "blocked" && (
                <Alert tone={plan.installed ? "info" : "danger"} title={plan.installed ? `Already installed on ${agent?.name ?? "this agent"}` : "Cannot be installed"} data-testid="install-blocked">
                  {plan.installed ? "Upgrade or reconfigure it from the agent's page instead." : plan.message}{" "}
                  {plan.installed && agent && (
                    <Link className="font-medium text-accent hover:underline" href={`/agents/${agent.id}`}>
                      Open {agent.name}
                    </Link>
                  )}
                </Alert>
              )}
              {plan.status === "error" && (
                <Alert tone="danger" action={<Button size="xs" onClick={retryPlan}>Retry</Button>}>
                  {plan.message}
                </Alert>
              )}
            </div>
          )}
        </Step>

        {/* 2 · Permissions and dependencies */}
        <Step number={2} inert={plan.status === "blocked"} title="Permissions" description={capability.permissions.length ? `${capability.name} asks for these. Uncheck any you do not want to grant.` : `${capability.name} needs no permissions.`}>
          {capability.permissions.length > 0 && <PermissionChecklist permissions={capability.permissions} granted={granted} onChange={setGranted} actions={capability.actions} idPrefix={`${ids}-perm`} disabled={submitting} />}
          <Dependencies plan={plan} isNewAgent={agentId === NEW_AGENT} grants={depGrants} onGrants={(slug, set) => setDepGrants((g) => ({ ...g, [slug]: set }))} idPrefix={`${ids}-dep`} disabled={submitting} />
        </Step>

        {/* 3 · Configuration */}
        {hasConfig && (
          <Step number={3} inert={plan.status === "blocked"} title="Configuration" description="What it needs to work. Secrets are encrypted at rest and never shown again.">
            {capability.configuration.length > 0 && (
              <ConfigFields
                fields={capability.configuration}
                draft={draft}
                onChange={(key, value) => {
                  setDraft((d) => ({ ...d, [key]: value }));
                  setFieldErrors((er) => ({ ...er, [key]: "" }));
                }}
                errors={fieldErrors}
                idPrefix={`${ids}-cfg`}
                disabled={submitting}
              />
            )}
            {depsWithConfig.map((d) => (
              <div key={d.slug} className="mt-5 border-t border-border pt-4">
                <p className="mb-3 flex items-center gap-2 text-[13px] font-medium text-fg">
                  <CapabilityIcon icon={d.icon} size="sm" />
                  {d.name} <span className="font-normal text-fg-subtle">(dependency)</span>
                </p>
                <ConfigFields
                  fields={d.configuration}
                  draft={depDrafts[d.slug] ?? {}}
                  onChange={(key, value) => setDepDrafts((all) => ({ ...all, [d.slug]: { ...all[d.slug], [key]: value } }))}
                  errors={depErrors[d.slug] ?? {}}
                  idPrefix={`${ids}-dep-${d.slug}`}
                  disabled={submitting}
                />
              </div>
            ))}
          </Step>
        )}
      </ol>

      {formErrors.length > 0 && (
        <div tabIndex={-1} data-error-summary className="mt-5 outline-none">
          <Alert tone="danger" title="It could not be installed" data-testid="install-error">
            <ul className="space-y-0.5">
              {formErrors.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </Alert>
        </div>
      )}

      <div className="-mx-5 mt-6 -mb-5 flex flex-wrap items-center justify-between gap-3 rounded-b-xl border-t border-border bg-surface-2/60 px-5 py-3">
        <p className="text-[12px] text-fg-subtle">{agentId === NEW_AGENT ? (newName.trim() ? `Creates “${newName.trim()}”, then installs.` : "Name the new agent above.") : agent ? `On ${agent.name}` : agents ? "Choose an agent first." : "\u00a0"}</p>
        <div className="flex items-center gap-2">
          <Button variant="ghost" onClick={onCancel} disabled={submitting}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={submitting} disabled={!canSubmit} data-testid="install-submit">
            {capability.permissions.length === 0 ? "Install" : granted.size === capability.permissions.length ? "Grant & install" : `Grant ${granted.size} of ${capability.permissions.length} & install`}
          </Button>
        </div>
      </div>
    </form>
  );
}

function Step({ number, title, description, children, inert = false }: { number: number; title: string; description?: string; children: React.ReactNode; inert?: boolean }) {
  return (
    <li className={cx("relative pl-9 transition-opacity", inert && "pointer-events-none opacity-45 select-none")} inert={inert || undefined}>
      <span aria-hidden className="absolute top-0 left-0 grid size-6 place-items-center rounded-full bg-accent-soft text-[12px] font-semibold text-accent-soft-fg ring-4 ring-surface">
        {number}
      </span>
      <span aria-hidden className="absolute top-7 bottom-[-1.25rem] left-3 w-px bg-border [li:last-child>&]:hidden" />
      <h3 className="text-[14px] font-semibold text-fg">
        <span className="sr-only">Step {number}: </span>
        {title}
      </h3>
      {description && <p className="mt-0.5 mb-3 text-[12.5px] text-fg-muted">{description}</p>}
      {children}
    </li>
  );
}

function Dependencies({ plan, isNewAgent, grants, onGrants, idPrefix, disabled }: { plan: Plan; isNewAgent: boolean; grants: Record<string, Set<string>>; onGrants: (slug: string, set: Set<string>) => void; idPrefix: string; disabled?: boolean }) {
  if (plan.status === "loading") {
    return (
      <div className="mt-4 space-y-2" aria-label="Checking dependencies">
        <Skeleton className="h-4 w-40" />
        <Skeleton className="h-12 w-full" />
      </div>
    );
  }
  if (plan.status !== "ready") {
    return isNewAgent ? <p className="mt-3 text-[12px] text-fg-subtle">Dependencies, if any, are installed along with it on the new agent.</p> : null;
  }
  if (plan.deps.length === 0 && plan.problems.length === 0) return null;
  return (
    <div className="mt-5" data-testid="install-dependencies">
      <p className="mb-2 flex items-center gap-1.5 text-[13px] font-medium text-fg">
        <LayersIcon className="size-4 text-fg-subtle" />
        Dependencies
      </p>
      {plan.problems.length > 0 && (
        <Alert tone="danger" className="mb-2" title="A dependency cannot be satisfied">
          <ul>
            {plan.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </Alert>
      )}
      <ul className="space-y-2">
        {plan.deps.map((d) => (
          <li key={d.slug} className="rounded-lg border border-border bg-surface-2/40 px-3 py-2.5" data-testid={`install-dependency-${d.slug}`}>
            <div className="flex flex-wrap items-center gap-2">
              <CapabilityIcon icon={d.icon} size="sm" />
              <span className="text-[13px] font-medium text-fg">{d.name}</span>
              <code className="font-mono text-[11.5px] text-fg-subtle">
                {d.version} (needs {d.range})
              </code>
              <span className="ml-auto flex items-center gap-1.5">
                {d.action === "reuse" ? <Badge tone="success">Already on this agent</Badge> : <Badge tone="info">Installed along</Badge>}
                <RiskBadge risk={d.risk} suffix="" />
              </span>
            </div>
            <p className="mt-1 text-[12px] text-fg-subtle">Required by {d.requiredBy}</p>
            {d.action === "install" && d.requestedPermissions.length > 0 && (
              <div className="mt-2.5">
                <PermissionChecklist permissions={d.requestedPermissions} granted={grants[d.slug] ?? new Set()} onChange={(set) => onGrants(d.slug, set)} actions={[]} idPrefix={`${idPrefix}-${d.slug}`} testIdPrefix={`dependency-permission-checkbox-${d.slug}-`} disabled={disabled} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function InstallSuccess({ capability, result, onClose }: { capability: InstallableCapability; result: Result; onClose: () => void }) {
  const inst = result.installation;
  const off = inst.actions.filter((a) => a.disabled);
  return (
    <div data-testid="install-success">
      <div className="flex items-start gap-3 rounded-xl border border-success/25 bg-success-soft px-4 py-3">
        <CheckCircleIcon className="mt-0.5 size-5 shrink-0 text-success" />
        <div className="text-[13.5px]">
          <p className="font-medium text-fg">
            {capability.name} {inst.version.version} is installed on {result.agent.name}.
          </p>
          <p className="mt-0.5 text-fg-muted">
            Granted {inst.grantedPermissions.length} of {inst.requestedPermissions.length} permission{inst.requestedPermissions.length === 1 ? "" : "s"}
            {inst.withheldPermissions.length > 0 && (
              <>
                ; withheld <code className="font-mono text-[12px]">{inst.withheldPermissions.join(", ")}</code>
              </>
            )}
            .
          </p>
        </div>
      </div>
      {off.length > 0 && (
        <p className={cx("mt-3 text-[13px] text-fg-muted")}>
          Disabled until you grant what they need: {off.map((a) => a.name).join(", ")}. You can change this on the agent&apos;s page at any time.
        </p>
      )}
      {result.dependencies.length > 0 && (
        <div className="mt-3 text-[13px] text-fg-muted">
          Installed along: {result.dependencies.map((d) => `${d.capability.name} ${d.version.version}`).join(", ")}.
        </div>
      )}
      <div className="-mx-5 mt-5 -mb-5 flex items-center justify-end gap-2 rounded-b-xl border-t border-border bg-surface-2/60 px-5 py-3">
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
        <LinkButton href={`/agents/${result.agent.id}`} variant="primary" data-testid="install-open-agent">
          Open {result.agent.name}
        </LinkButton>
      </div>
    </div>
  );
}
