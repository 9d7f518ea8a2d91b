// The deferred action of an approved install: the same install the requester asked for
// (lib/agents/install-capability.ts installCapabilityInTx), run inside the deciding
// transaction, as the requester (same ownership checks, their current role), with the
// version pinned and the secrets decrypted from the approval's payload. Exactly once: the
// approvals row is locked and the installation is unique per agent and capability.
// When it can no longer be done (agent deleted, already installed, version yanked,
// configuration now invalid, the policy now denies it, the plan would grant more than was
// approved) nothing changes and the outcome says why: the attempt runs under a SAVEPOINT
// that is rolled back, so the decision itself still commits. Never throws for those.
import type { Prisma } from "../../generated/prisma/client";
import { AppError, type FieldError } from "../../errors";
import type { ActorType } from "../../events/event-types";
import type { Caller } from "../../agents/agent-access";
import { installCapabilityInTx, type InstallPayload } from "../../agents/install-capability";
import { openSecrets } from "../../agents/sealed-secrets";
import { SecretDecryptionError } from "../../secrets/secret-cipher";
import type { DeferredContext, DeferredHandler } from "./deferred";
import type { ApprovalOutcome, ApprovalRow } from "./types";

export type Refusal = { ok: false; code: string; message: string; errors?: FieldError[] };

const refuse = (code: string, message: string, errors?: FieldError[]): Refusal => ({ ok: false, code, message, ...(errors?.length ? { errors } : {}) });

/** A recheck that now denies: nothing is done, the outcome says why. */
export function deniedOnRecheck(ctx: DeferredContext): Refusal | null {
  if (ctx.recheck.decision !== "deny") return null;
  return refuse("policy_denied", `approved, but the policy now denies it: ${ctx.recheck.reasons.join("; ")}`);
}

/**
 * Runs `attempt` under a savepoint of the deciding transaction. An AppError (or a secret
 * that no longer decrypts) rolls back to the savepoint and becomes a refusal; anything
 * else is a bug or an outage and is thrown (the decision then rolls back and stays pending).
 */
export async function inSavepoint(tx: Prisma.TransactionClient, name: string, attempt: () => Promise<ApprovalOutcome>): Promise<ApprovalOutcome> {
  await tx.$executeRawUnsafe(`SAVEPOINT ${name}`);
  try {
    const outcome = await attempt();
    await tx.$executeRawUnsafe(`RELEASE SAVEPOINT ${name}`);
    return outcome;
  } catch (err) {
    await tx.$executeRawUnsafe(`ROLLBACK TO SAVEPOINT ${name}`);
    if (err instanceof AppError) {
      const code = err.code === "validation_failed" ? "invalid_request" : err.code === "not_found" ? "not_found" : err.code;
      return refuse(code, `not done: ${err.message}`, err.errors);
    }
    if (err instanceof SecretDecryptionError) return refuse("secrets_unreadable", `not done: the request's secrets cannot be read any more (${err.reason}); ask again`);
    throw err;
  }
}

/** The requester as a Caller, with their role now; null when they can no longer act. */
export async function requesterCaller(tx: Prisma.TransactionClient, a: ApprovalRow): Promise<Caller | Refusal> {
  if (!a.requesterUserId) return refuse("requester_unknown", "not done: the request names no user to act for");
  const user = await tx.user.findUnique({ where: { id: a.requesterUserId }, select: { role: true, disabledAt: true } });
  if (!user || user.disabledAt) return refuse("requester_disabled", "not done: the requester's account is disabled or gone");
  return { userId: a.requesterUserId, role: user.role, actor: { type: a.requesterType as ActorType, id: a.requesterId }, correlationId: a.correlationId };
}

export const runDeferredInstall: DeferredHandler = async (tx, a, ctx) => {
  const denied = deniedOnRecheck(ctx);
  if (denied) return { outcome: denied };
  const p = a.payload as InstallPayload;
  const caller = await requesterCaller(tx, a);
  if ("ok" in caller) return { outcome: caller };
  const agentId = a.agentId;
  const slug = a.capabilitySlug;
  if (!agentId || !slug) return { outcome: refuse("invalid_approval", "not done: the approval names no agent or capability") };

  const outcome = await inSavepoint(tx, "deferred_install", async () => {
    // The usual reasons, named; anything else the install itself refuses (AppError).
    if (!(await tx.agent.findUnique({ where: { id: agentId }, select: { id: true } }))) return refuse("agent_deleted", "not done: the agent was deleted after the request");
    const existing = await tx.installation.findUnique({ where: { agentId_capabilityId: { agentId, capabilityId: p.capabilityId } }, select: { id: true } });
    if (existing) return refuse("already_installed", `not done: ${slug} is already installed on the agent (installation ${existing.id})`);
    const version = await tx.capabilityVersion.findUnique({ where: { id: p.versionId }, select: { status: true } });
    if (!version) return refuse("version_removed", `not done: ${slug} ${p.version} no longer exists`);
    if (version.status === "yanked") return refuse("version_yanked", `not done: ${slug} ${p.version} was yanked after the request`);

    const dependencyConfig = Object.fromEntries(
      [...new Set([...Object.keys(p.dependencyConfig), ...Object.keys(p.dependencySecrets)])].map((s) => [
        s,
        { config: p.dependencyConfig[s]?.config ?? {}, secrets: openSecrets(p.sealId, `dep:${s}`, p.dependencySecrets[s]) },
      ]),
    );
    const r = await installCapabilityInTx(tx, {
      caller,
      agentId,
      auth: undefined,
      approved: { permissions: p.permissions },
      input: {
        capability: slug,
        version: p.version,
        grantedPermissions: p.grantedPermissions,
        config: p.config,
        secrets: openSecrets(p.sealId, "root", p.secrets),
        dependencyGrants: p.dependencyGrants,
        dependencyConfig,
        dryRun: false,
      },
    });
    if (r.kind !== "installed") throw new Error(`deferred install ended as ${r.kind}`);
    const [installationId, ...dependencies] = r.ids;
    return {
      ok: true,
      message: `installed ${slug} ${p.version} on the agent${dependencies.length ? ` with ${dependencies.length} dependenc${dependencies.length > 1 ? "ies" : "y"}` : ""}`,
      installationId,
      installedDependencies: dependencies,
    };
  });
  return { outcome };
};
