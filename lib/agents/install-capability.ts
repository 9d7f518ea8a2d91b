// Installs a capability version on an agent: consent (granted ⊆ requested), configuration
// checked against the manifest (secrets apart, encrypted), dependencies resolved and
// installed along (see plan-dependencies.ts), then the policy gate "by the permissions
// asked" (installation-policy.ts: the union of every grant of the plan), all in one
// transaction with one installation.created event per installation. Every problem is
// reported at once (422) before the gate is asked. The gate's answer:
//   allow → installed (policy.evaluated evented with it);
//   deny → nothing installed, policy.evaluated committed, 403 policy_denied;
//   require_approval → nothing installed; an approval holds the exact request (version
//     pinned, secrets encrypted) and lib/policy/approvals/deferred-install.ts redoes it
//     through installCapabilityInTx once approved.
// A dry run answers with the plan, its problems and the gate's decision, and writes nothing.
import type { Db, Prisma } from "../db/prisma";
import { AppError, conflict, notFound, type FieldError } from "../errors";
import { newId } from "../ids";
import { lockAgentForCaller, type Caller } from "./agent-access";
import type { InstallCapabilityInput } from "./agent-schemas";
import { createPlannedInstallations } from "./create-planned-installations";
import { findInstallableVersion, findVisibleCapability } from "./find-versions";
import { applyConfigChange, EMPTY_CONFIG } from "./installation-config";
import { gateInstallation, installPolicyRequest, policySummary, type PendingApprovalAnswer, type PolicySummary, type RequestAuth } from "./installation-policy";
import { loadInstallationViews, type InstallationView } from "./installation-views";
import { readInstalledManifest } from "./installed-manifest";
import { planDependencies, planItem, type PlanItem, type PlannedInstall } from "./plan-dependencies";
import { newSealId, sealSecrets, secretValues, type SealedSecrets } from "./sealed-secrets";
import { evaluateRequest } from "../policy/evaluate-request";

export type InstallResult =
  | { dryRun: true; valid: boolean; errors: FieldError[]; plan: PlanItem[]; policy: PolicySummary }
  | { dryRun: false; installation: InstallationView; installedDependencies: InstallationView[] }
  | { dryRun: false; approval: PendingApprovalAnswer };

/** What an install approval stores to redo the install exactly (secret values encrypted). */
export interface InstallPayload {
  sealId: string;
  capabilityId: string;
  versionId: string;
  /** The exact version resolved when asked ("latest" is not re-resolved on approval). */
  version: string;
  grantedPermissions: string[];
  config: InstallCapabilityInput["config"];
  secrets: SealedSecrets;
  dependencyGrants: InstallCapabilityInput["dependencyGrants"];
  /** Plain dependency configuration; their secrets are in dependencySecrets. */
  dependencyConfig: Record<string, { config: InstallCapabilityInput["config"] }>;
  dependencySecrets: Record<string, SealedSecrets>;
  /** Everything the plan grants, as the gate saw it: the approval covers no more. */
  permissions: string[];
  tokenId: string | null;
}

export type InstallInTxOutcome =
  | { kind: "dry_run"; result: Extract<InstallResult, { dryRun: true }> }
  | { kind: "installed"; ids: string[] }
  | { kind: "denied"; error: AppError }
  | { kind: "pending"; answer: PendingApprovalAnswer };

export interface InstallCapabilityOptions {
  caller: Caller;
  agentId: string;
  input: InstallCapabilityInput;
  auth?: RequestAuth;
}

export interface InstallInTxOptions extends InstallCapabilityOptions {
  /** Set by the deferred install: the permissions the approval covers. The gate is not asked again (the decision re-checked it). */
  approved?: { permissions: readonly string[] };
}

/** Grants that the version does not request, each at its path. */
export function grantErrors(granted: readonly string[], requested: readonly string[], what: string, path = "grantedPermissions"): FieldError[] {
  return granted.flatMap((p, i) => (requested.includes(p) ? [] : [{ path: `${path}[${i}]`, message: `${p} is not requested by ${what}` }]));
}

/** A request that grants more than its approval covered is not run (the approval was for what was asked then). */
export function assertWithinApproval(permissions: readonly string[], approved: readonly string[]): void {
  const beyond = permissions.filter((p) => !approved.includes(p));
  if (beyond.length) throw conflict(`the request changed since it was approved: it would now also grant ${beyond.join(", ")}; ask again`);
}

const keys = (o: Record<string, unknown> | undefined) => Object.keys(o ?? {});

/** The install inside the caller's transaction (the API's, or the deciding one of an approval). */
export async function installCapabilityInTx(tx: Prisma.TransactionClient, options: InstallInTxOptions): Promise<InstallInTxOutcome> {
  const { caller, agentId, input } = options;
  await lockAgentForCaller(tx, { caller, agentId });
  const capability = await findVisibleCapability(tx, { caller, slug: input.capability });
  if (!capability) throw notFound(`capability ${input.capability}`);
  const already = await tx.installation.findUnique({ where: { agentId_capabilityId: { agentId, capabilityId: capability.id } }, select: { id: true, version: { select: { version: true } } } });
  if (already) throw conflict(`${capability.slug} is already installed on this agent (${already.version.version}, installation ${already.id}): upgrade or uninstall it instead`);
  const version = await findInstallableVersion(tx, { caller, capability, version: input.version });
  const manifest = readInstalledManifest(version.manifest);
  const what = `${capability.slug} ${version.version}`;

  const errors: FieldError[] = grantErrors(input.grantedPermissions, version.permissions, what);
  const granted = [...new Set(input.grantedPermissions.filter((p) => version.permissions.includes(p)))];
  const cfg = applyConfigChange(manifest.configuration, EMPTY_CONFIG, { config: input.config, secrets: input.secrets });
  errors.push(...cfg.errors);
  const root: PlannedInstall = { installationId: newId("ins"), capability, version, manifest, requiredBy: null, granted, config: cfg.config, secrets: cfg.secretsToSet };
  const deps = await planDependencies(tx, { caller, agentId, root, dependencyGrants: input.dependencyGrants, dependencyConfig: input.dependencyConfig });
  errors.push(...deps.errors);

  const installs = [root, ...deps.installs];
  const request = installPolicyRequest({
    what: "install",
    caller,
    agentId,
    auth: options.auth,
    slug: capability.slug,
    version: version.version,
    items: installs.map((p) => ({ manifest: p.version.manifest, granted: p.granted })),
  });

  if (input.dryRun) {
    const plan = [planItem(root, { action: "install", requiredBy: null, range: null, grantedPermissions: granted, needsConsent: false }), ...deps.items];
    const e = await evaluateRequest(tx, request);
    return { kind: "dry_run", result: { dryRun: true, valid: errors.length === 0, errors, plan, policy: policySummary(e.decision) } };
  }
  if (errors.length) throw new AppError("validation_failed", `${what} cannot be installed as asked`, { errors });

  const permissions = request.capability!.permissions;
  if (options.approved) {
    assertWithinApproval(permissions, options.approved.permissions);
  } else {
    const secrets = secretValues(input.secrets, ...Object.values(input.dependencyConfig).map((d) => d.secrets));
    const sealId = newSealId();
    const payload: InstallPayload = {
      sealId,
      capabilityId: capability.id,
      versionId: version.id,
      version: version.version,
      grantedPermissions: granted,
      config: input.config,
      secrets: sealSecrets(sealId, "root", input.secrets),
      dependencyGrants: input.dependencyGrants,
      dependencyConfig: Object.fromEntries(Object.entries(input.dependencyConfig).map(([slug, c]) => [slug, { config: c.config }])),
      dependencySecrets: Object.fromEntries(Object.entries(input.dependencyConfig).map(([slug, c]) => [slug, sealSecrets(sealId, `dep:${slug}`, c.secrets)])),
      permissions,
      tokenId: options.auth?.tokenId ?? null,
    };
    const gate = await gateInstallation(tx, {
      kind: "install",
      request,
      caller,
      auth: options.auth,
      agentId,
      capabilityId: capability.id,
      secrets,
      payload: payload as unknown as Record<string, unknown>,
      display: {
        permissions,
        domains: request.capability!.domains,
        details: {
          version: version.version,
          grantedPermissions: granted,
          configKeys: keys(input.config),
          secretKeys: keys(input.secrets),
          dependencies: deps.installs.map((d) => ({
            slug: d.capability.slug,
            version: d.version.version,
            grantedPermissions: d.granted,
            configKeys: keys(d.config),
            secretKeys: keys(d.secrets),
          })),
        },
      },
    });
    if (gate.decision === "deny") return { kind: "denied", error: gate.error };
    if (gate.decision === "require_approval") return { kind: "pending", answer: gate.answer };
  }
  await createPlannedInstallations(tx, { caller, agentId, installs });
  return { kind: "installed", ids: installs.map((p) => p.installationId) };
}

export async function installCapability(db: Db, options: InstallCapabilityOptions): Promise<InstallResult> {
  const { caller, agentId } = options;
  // A deny commits its policy.evaluated event with this transaction, then answers 403.
  const outcome = await db.$transaction((tx) => installCapabilityInTx(tx, options));
  if (outcome.kind === "dry_run") return outcome.result;
  if (outcome.kind === "denied") throw outcome.error;
  if (outcome.kind === "pending") return { dryRun: false, approval: outcome.answer };
  const views = await loadInstallationViews(db, { caller, agentId, ids: outcome.ids });
  const byId = new Map(views.map((v) => [v.id, v]));
  return { dryRun: false, installation: byId.get(outcome.ids[0]!)!, installedDependencies: outcome.ids.slice(1).map((id) => byId.get(id)!) };
}
