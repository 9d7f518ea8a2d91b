// Creates a preview session: validates the request, detects the preset's dependencies in
// the code (smart injection), pins each one's served URL and integrity from the runtime
// manifest, and records the row plus PREVIEW_SESSION_CREATED and one PREVIEW_DEP_INJECTED
// per dependency in one transaction. Returns signed frame and share URLs. Nothing runs here.
import { z } from "zod";
import type { Db } from "../db/prisma";
import { AppError, notFound } from "../errors";
import type { Actor } from "../events/append-event";
import { appendEvent } from "../events/append-event";
import { newId } from "../ids";
import { detectDependencies } from "./detect-deps";
import { frameUrlFor, shareUrlFor } from "./origins";
import { getRuntimeManifest, runtimeScriptUrl } from "./runtime-manifest";
import { signPreviewToken } from "./tokens";

export const MAX_PREVIEW_SOURCE_BYTES = 512 * 1024;
export const SHARE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const FRAME_TTL_MS = 24 * 60 * 60 * 1000;

export const CreatePreviewSchema = z
  .object({
    code: z.string().optional(),
    html: z.string().optional(),
    preset: z.string().min(1).max(100),
    snippetId: z
      .string()
      .regex(/^snp_[0-9a-z]{26}$/, "expected a snippet id")
      .optional(),
    title: z.string().max(200).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const n = Number(v.code !== undefined) + Number(v.html !== undefined);
    if (n !== 1) {
      const message = n === 0 ? "send the code or the html" : "send either code or html, not both";
      ctx.addIssue({ code: "custom", path: ["code"], message });
      if (n === 2) ctx.addIssue({ code: "custom", path: ["html"], message });
    }
  });
export type CreatePreviewBody = z.infer<typeof CreatePreviewSchema>;

export interface PreviewOwner {
  userId: string;
  role?: "admin" | "member";
  actor: Actor;
}

export interface InjectedDep {
  id: string;
  version: string;
  url: string;
  integrity: string;
  autoInjected: boolean;
}

export interface CreatedPreview {
  previewId: string;
  frameUrl: string;
  shareUrl: string;
  expiresAt: string;
  injectedDeps: InjectedDep[];
}

/** What a preview row stores per dependency (the URL is derived again when the frame is served). */
export interface StoredDep {
  id: string;
  version: string;
  integrity: string;
  autoInjected: boolean;
}

export function previewStream(snippetId: string | null): { type: string; id: string } {
  return snippetId ? { type: "snippet", id: snippetId } : { type: "system", id: "orphan" };
}

export function issueTokens(previewId: string, shareExpiresAt: Date, now = Date.now()): { frameUrl: string; shareUrl: string } {
  const frame = signPreviewToken({ previewId, purpose: "frame", exp: Math.floor(Math.min(now + FRAME_TTL_MS, Number.MAX_SAFE_INTEGER) / 1000) });
  const share = signPreviewToken({ previewId, purpose: "share", exp: Math.floor(shareExpiresAt.getTime() / 1000) });
  return { frameUrl: frameUrlFor(previewId, frame), shareUrl: shareUrlFor(share) };
}

/** `options.origin`: the request's origin, used for runtime URLs when neither PREVIEW_CDN_BASE nor APP_URL is set. */
export async function createPreview(db: Db, input: { owner: PreviewOwner } & CreatePreviewBody, options: { origin?: string } = {}): Promise<CreatedPreview> {
  const parsed = CreatePreviewSchema.safeParse({ code: input.code, html: input.html, preset: input.preset, snippetId: input.snippetId, title: input.title });
  if (!parsed.success) {
    throw new AppError("validation_failed", "the preview request is not valid", {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message })),
    });
  }
  const body = parsed.data;
  const kind: "code" | "html" = body.code !== undefined ? "code" : "html";
  const source = (body.code ?? body.html)!;
  const size = Buffer.byteLength(source, "utf8");
  if (size > MAX_PREVIEW_SOURCE_BYTES) throw new AppError("payload_too_large", `the ${kind} is larger than ${MAX_PREVIEW_SOURCE_BYTES} bytes`);

  const deps = detectDependencies(body.preset, source);
  const manifest = getRuntimeManifest();
  const injected: InjectedDep[] = deps.map((d) => {
    const entry = manifest.deps[d.id];
    if (!entry) throw new Error(`runtime dependency ${d.id} is not in the runtime manifest; rebuild it (scripts/build-preview-runtime.mjs)`);
    return { id: d.id, version: d.version, url: runtimeScriptUrl(d.id, options.origin), integrity: entry.integrity, autoInjected: !d.core };
  });

  const previewId = newId("prv");
  const now = Date.now();
  const shareExpiresAt = new Date(now + SHARE_TTL_MS);

  await db.$transaction(async (tx) => {
    let snippetVersion: number | null = null;
    let title = body.title ?? "";
    if (body.snippetId) {
      const snippet = await tx.snippet.findUnique({ where: { id: body.snippetId }, select: { ownerId: true, version: true, title: true, deletedAt: true } });
      if (!snippet || snippet.deletedAt || (snippet.ownerId !== input.owner.userId && input.owner.role !== "admin")) throw notFound("snippet");
      snippetVersion = snippet.version;
      if (!body.title) title = snippet.title;
    }
    const snippetId = body.snippetId ?? null;
    await tx.previewSession.create({
      data: {
        id: previewId,
        ownerId: input.owner.userId,
        snippetId,
        snippetVersion,
        preset: body.preset,
        sourceKind: kind,
        source,
        title,
        deps: injected.map<StoredDep>((d) => ({ id: d.id, version: d.version, integrity: d.integrity, autoInjected: d.autoInjected })) as unknown as object[],
        shareExpiresAt,
      },
    });
    const stream = previewStream(snippetId);
    const subject = { type: "preview", id: previewId };
    const created = await appendEvent(tx, {
      type: "PREVIEW_SESSION_CREATED",
      stream,
      subject,
      actor: input.owner.actor,
      data: { previewId, snippetId, preset: body.preset, deps: injected.map((d) => d.id), size, shareExpiresAt: shareExpiresAt.toISOString() },
    });
    for (const d of injected) {
      await appendEvent(tx, {
        type: "PREVIEW_DEP_INJECTED",
        stream,
        subject,
        actor: input.owner.actor,
        correlationId: created.correlationId,
        causationId: created.id,
        data: { previewId, snippetId, depId: d.id, version: d.version, integrity: d.integrity, autoInjected: d.autoInjected },
      });
    }
  });

  return { previewId, ...issueTokens(previewId, shareExpiresAt, now), expiresAt: shareExpiresAt.toISOString(), injectedDeps: injected };
}
