// Publishes a version of a capability (owner or admin): the pending draft (else the highest
// version again, under a new number), or the manifest given. The version is frozen (a
// trigger refuses content changes), its semver must be strictly higher than every existing
// version (no overwrite, no downgrade), and it stores its content hash, changelog,
// permissions, risk and security report. A public version waits in review until an admin
// approves it; a private one needs no review.
// Policy: every publish (but the product's own pre-approved ones) passes the gate, after
// validation and before the version is written, and its decision is evented. A public
// publish always needs an admin (publish_public): the version lands `in_review` and an
// approval of kind "publish" is created in the same transaction; approving it approves the
// review (lib/policy/approvals/deferred-publish.ts), denying it rejects the review, and
// deciding the review directly closes the approval. A private publish is allowed
// (publish_private). A deny (the kill switch for a capability that writes outside, a deny
// rule) writes no version: 403 policy_denied, with policy.evaluated committed. A private
// publish that an org rule sends to approval is refused the same way: a private version
// cannot be held back from its owner, so there is nothing an approval could gate.
import semver from "semver";
import { z } from "zod";
import type { Db } from "../db/prisma";
import { Prisma } from "../generated/prisma/client";
import { AppError, conflict } from "../errors";
import { appendEvent, type Actor } from "../events/append-event";
import { newId } from "../ids";
import type { PolicyRequest, SecurityLevel } from "../policy/gate";
import { evaluateRequest, policyEvaluatedEvent } from "../policy/evaluate-request";
import { createApproval } from "../policy/approvals/create-approval";
import { lockManageableCapability, type Viewer } from "./capability-access";
import { toJsonValue } from "./create-capability";
import type { Manifest } from "./manifest-schema";
import { manifestContentHash, validateManifest } from "./parse-manifest";
import { capabilityRisk } from "./permissions";
import { MAX_MANIFEST_TEXT, readManifestSource, requireValidManifest } from "./read-manifest-source";
import { refreshListing } from "./refresh-listing";
import { computeSecurityReport } from "./security-report";
import { highestVersion, semverParts } from "./version-order";
import { toVersionRecord, versionRecordSelect, type VersionRecord } from "./version-record";

export const PublishVersionSchema = z
  .object({
    version: z
      .string()
      .max(100)
      .refine((v) => semver.valid(v) !== null && semver.clean(v) === v, "expected a semantic version such as 1.2.0")
      .optional(),
    changelog: z.string().trim().min(1, "say what changed").max(20_000),
    visibility: z.enum(["private", "public"]).optional(),
    manifest: z.record(z.string(), z.unknown()).optional(),
    text: z.string().max(MAX_MANIFEST_TEXT).optional(),
    format: z.enum(["json", "yaml"]).optional(),
  })
  .refine((b) => !(b.manifest !== undefined && b.text !== undefined), { message: "send either manifest or text, not both", path: ["text"] });
export type PublishVersionInput = z.infer<typeof PublishVersionSchema>;

export interface PublishVersionOptions {
  slug: string;
  viewer: Viewer;
  actor: Actor;
  input: PublishVersionInput;
  correlationId?: string;
  /** Built-ins only: publish already approved, by the system (the gate is not asked). */
  preApproved?: boolean;
  /** How the publisher authenticated (recorded with the gate's request and the approval). */
  auth?: { via: "session" | "token"; tokenId: string | null };
}

/** A public publish's pending approval (as the 202 of a gated install answers it). */
export interface PublishApproval {
  approvalId: string;
  status: "pending";
  correlationId: string;
  securityLevel: SecurityLevel;
  reasons: string[];
  expiresAt: string;
  links: { self: string; stream: string };
}

/** What a publish approval stores: the version waiting in review. */
export interface PublishPayload {
  capabilityId: string;
  versionId: string;
  slug: string;
  version: string;
}

export type PublishedVersion = VersionRecord & { approval?: PublishApproval };

type PublishOutcome = { kind: "published"; version: PublishedVersion } | { kind: "denied"; error: AppError };

export async function publishVersion(db: Db, options: PublishVersionOptions): Promise<PublishedVersion> {
  const { input } = options;
  // Validate before taking any lock: a bad manifest is a 422 with every error.
  const given =
    input.manifest !== undefined || input.text !== undefined
      ? requireValidManifest(readManifestSource(input.manifest !== undefined ? { manifest: input.manifest } : { text: input.text, format: input.format }))
      : null;
  // A deny commits its policy.evaluated event with this transaction, then answers 403.
  const outcome = await db.$transaction((tx) => publishInTransaction(tx, { ...options, manifest: given }));
  if (outcome.kind === "denied") throw outcome.error;
  return outcome.version;
}

/** The publish inside the caller's transaction (built-ins register and publish in one). A deny throws, rolling the caller's transaction back. */
export async function publishVersionInTransaction(tx: Prisma.TransactionClient, options: PublishVersionOptions & { manifest: Manifest | null }): Promise<PublishedVersion> {
  const outcome = await publishInTransaction(tx, options);
  if (outcome.kind === "denied") throw outcome.error;
  return outcome.version;
}

async function publishInTransaction(tx: Prisma.TransactionClient, options: PublishVersionOptions & { manifest: Manifest | null }): Promise<PublishOutcome> {
  const { input } = options;
  const given = options.manifest;
  const cap = await lockManageableCapability(tx, { slug: options.slug, viewer: options.viewer });
  let manifest: Manifest;
  if (given) manifest = given;
  else {
    // The pending draft, else the highest version (republishing it under a new version).
    const row = await tx.capability.findUniqueOrThrow({ where: { id: cap.id }, select: { draftManifest: true } });
    let base = row.draftManifest;
    if (!base) {
      const versions = await tx.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { id: true, version: true } });
      const top = highestVersion(versions);
      if (top) base = (await tx.capabilityVersion.findUniqueOrThrow({ where: { id: top.id }, select: { manifest: true } })).manifest;
    }
    if (!base) throw conflict("there is no draft to publish: send a manifest");
    // The stored draft was valid when saved; check it again against today's rules.
    manifest = requireValidManifest(validateManifest(base));
  }
  if (input.version) manifest = { ...manifest, version: input.version };
  if (manifest.slug !== cap.slug) {
    throw new AppError("validation_failed", "the manifest is not valid: 1 error", { errors: [{ path: "slug", message: `must be "${cap.slug}", the capability's slug` }] });
  }

  const existing = await tx.capabilityVersion.findMany({ where: { capabilityId: cap.id }, select: { version: true } });
  const highest = highestVersion(existing)?.version;
  if (existing.some((v) => v.version === manifest.version)) {
    throw conflict(`version ${manifest.version} already exists and published versions never change; publish a version higher than ${highest}`);
  }
  if (highest && !semver.gt(manifest.version, highest)) {
    throw conflict(`version ${manifest.version} is not higher than the current highest version ${highest}`);
  }

  const visibility = input.visibility ?? cap.visibility;
  const reviewState = visibility === "private" ? "not_required" : options.preApproved ? "approved" : "in_review";
  const contentHash = manifestContentHash(manifest);
  const securityReport = computeSecurityReport(manifest);
  const risk = capabilityRisk(manifest.permissions, manifest.risk);
  const id = newId("ver");
  const correlationId = options.correlationId ?? newId("cor");

  // The gate, before anything is written (the product's own pre-approved publishes skip it).
  const request: PolicyRequest = {
    who: { userId: options.viewer.userId, role: options.viewer.role, agentId: null, tokenId: options.auth?.tokenId ?? null },
    what: "publish",
    capability: { slug: cap.slug, version: manifest.version, risk, permissions: [...manifest.permissions], domains: [...manifest.allowed_domains], visibility },
  };
  const evaluation = options.preApproved ? null : await evaluateRequest(tx, request);
  const gate = evaluation?.decision;
  if (evaluation && gate && (gate.decision === "deny" || (gate.decision === "require_approval" && visibility === "private"))) {
    await appendEvent(tx, policyEvaluatedEvent(request, evaluation, { actor: options.actor, correlationId, subject: { type: "capability", id: cap.id } }));
    const why = gate.decision === "deny" ? gate.reasons.join("; ") : `${gate.reasons.join("; ")}; a private version cannot wait for approval (it is never held back from its owner): publish it public or change the rule`;
    return { kind: "denied", error: new AppError("policy_denied", `the policy does not allow publishing ${cap.slug} ${manifest.version}: ${why}`) };
  }
  const now = new Date();
  const row = await tx.capabilityVersion.create({
    data: {
      id,
      capabilityId: cap.id,
      version: manifest.version,
      ...semverParts(manifest.version),
      manifest: toJsonValue(manifest),
      contentHash,
      changelog: input.changelog,
      permissions: manifest.permissions,
      risk,
      securityReport: toJsonValue(securityReport),
      visibility,
      reviewState,
      reviewedAt: options.preApproved && visibility === "public" ? now : null,
      reviewComment: options.preApproved && visibility === "public" ? "shipped with the product" : null,
      publishedById: options.viewer.userId,
      publishedAt: now,
    },
    select: versionRecordSelect,
  });
  // The draft holds only unpublished work: once published, the next edit starts from this
  // version. (It also keeps the capabilities table narrow, which searches scan.)
  await tx.capability.update({ where: { id: cap.id }, data: { draftManifest: Prisma.DbNull, draftUpdatedAt: null } });
  await refreshListing(tx, { capabilityId: cap.id, relist: reviewState === "approved" });

  const common = { stream: { type: "capability", id: cap.id }, subject: { type: "capability_version", id }, actor: options.actor, correlationId };
  await appendEvent(tx, {
    type: "capability.version_published",
    data: { slug: cap.slug, version: manifest.version, contentHash, visibility, risk, permissions: manifest.permissions, verdict: securityReport.verdict },
    ...common,
  });
  if (reviewState === "in_review") await appendEvent(tx, { type: "capability.review_requested", data: { slug: cap.slug, version: manifest.version }, ...common });
  if (reviewState === "approved") {
    await appendEvent(tx, { type: "capability.review_decided", data: { slug: cap.slug, version: manifest.version, decision: "approved", comment: "shipped with the product" }, ...common });
  }
  const record: PublishedVersion = toVersionRecord(row);
  if (!evaluation || !gate) return { kind: "published", version: record };
  if (gate.decision === "allow") {
    await appendEvent(tx, policyEvaluatedEvent(request, evaluation, { actor: options.actor, correlationId, subject: { type: "capability_version", id } }));
    return { kind: "published", version: record };
  }
  // require_approval of a public publish: the version waits in review for the approval.
  const payload: PublishPayload = { capabilityId: cap.id, versionId: id, slug: cap.slug, version: manifest.version };
  const created = await createApproval(tx, {
    kind: "publish",
    request,
    decision: gate,
    rulesVersion: evaluation.rulesVersion,
    requester: { actor: options.actor, userId: options.viewer.userId, role: options.viewer.role, via: options.auth?.via ?? null },
    agentId: null,
    capabilityId: cap.id,
    display: {
      permissions: [...manifest.permissions],
      domains: [...manifest.allowed_domains],
      visibility,
      details: { version: manifest.version, versionId: id, changelog: input.changelog, risk, verdict: securityReport.verdict, contentHash },
    },
    payload: payload as unknown as Record<string, unknown>,
    correlationId,
  });
  record.approval = {
    approvalId: created.id,
    status: "pending",
    correlationId,
    securityLevel: gate.securityLevel,
    reasons: gate.reasons,
    expiresAt: created.expiresAt.toISOString(),
    links: { self: `/api/approvals/${created.id}`, stream: `/api/events/stream?correlationId=${encodeURIComponent(correlationId)}` },
  };
  return { kind: "published", version: record };
}
