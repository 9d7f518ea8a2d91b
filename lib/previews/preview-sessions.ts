// Reading and changing preview sessions after creation: the owner's (or an admin's) view
// of one, revoking its share link, resolving a signed token to its row (tampered → 404,
// expired or revoked → 410), and recording openings and CSP violation reports as events.
import type { Db } from "../db/prisma";
import { AppError, notFound } from "../errors";
import type { Actor } from "../events/append-event";
import { appendEvent } from "../events/append-event";
import { issueTokens, previewStream, type InjectedDep, type StoredDep } from "./create-preview";
import { getRuntimeManifest, runtimeScriptUrl } from "./runtime-manifest";
import { verifyPreviewToken, type TokenPurpose } from "./tokens";

export interface PreviewViewer {
  userId: string;
  role: "admin" | "member";
  actor: Actor;
}

export interface PreviewRow {
  id: string;
  ownerId: string;
  snippetId: string | null;
  snippetVersion: number | null;
  preset: string;
  sourceKind: string;
  source: string;
  title: string;
  deps: unknown;
  shareExpiresAt: Date;
  shareRevokedAt: Date | null;
  openedCount: number;
  createdAt: Date;
}

export interface PreviewView {
  previewId: string;
  title: string;
  preset: string;
  kind: "code" | "html";
  snippetId: string | null;
  snippetVersion: number | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  openedCount: number;
  frameUrl: string;
  shareUrl: string | null;
  injectedDeps: InjectedDep[];
  size: number;
}

export function storedDeps(row: Pick<PreviewRow, "deps">): StoredDep[] {
  return Array.isArray(row.deps) ? (row.deps as StoredDep[]) : [];
}

/** The dependencies as served now: the URL from the manifest, the integrity of the served bytes. */
export function servedDeps(row: Pick<PreviewRow, "deps">, fallbackOrigin?: string): InjectedDep[] {
  const manifest = getRuntimeManifest();
  return storedDeps(row).map((d) => ({
    id: d.id,
    version: manifest.deps[d.id]?.version ?? d.version,
    url: runtimeScriptUrl(d.id, fallbackOrigin),
    integrity: manifest.deps[d.id]?.integrity ?? d.integrity,
    autoInjected: d.autoInjected,
  }));
}

async function loadOwned(db: Db, previewId: string, viewer: PreviewViewer): Promise<PreviewRow> {
  const row = await db.previewSession.findUnique({ where: { id: previewId } });
  // Someone else's preview is "not found", so ids cannot be probed.
  if (!row || (row.ownerId !== viewer.userId && viewer.role !== "admin")) throw notFound("preview");
  return row;
}

function toView(row: PreviewRow, origin?: string, now = Date.now()): PreviewView {
  const { frameUrl, shareUrl } = issueTokens(row.id, row.shareExpiresAt, now);
  const shareLive = !row.shareRevokedAt && row.shareExpiresAt.getTime() > now;
  return {
    previewId: row.id,
    title: row.title,
    preset: row.preset,
    kind: row.sourceKind === "html" ? "html" : "code",
    snippetId: row.snippetId,
    snippetVersion: row.snippetVersion,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.shareExpiresAt.toISOString(),
    revokedAt: row.shareRevokedAt?.toISOString() ?? null,
    openedCount: row.openedCount,
    frameUrl,
    shareUrl: shareLive ? shareUrl : null,
    injectedDeps: servedDeps(row, origin),
    size: Buffer.byteLength(row.source, "utf8"),
  };
}

export async function getPreview(db: Db, previewId: string, viewer: PreviewViewer, origin?: string): Promise<PreviewView> {
  return toView(await loadOwned(db, previewId, viewer), origin);
}

/** Revokes the share link (idempotent: the event is recorded the first time only). */
export async function revokePreviewShare(db: Db, previewId: string, viewer: PreviewViewer, origin?: string): Promise<PreviewView> {
  await loadOwned(db, previewId, viewer);
  const row = await db.$transaction(async (tx) => {
    const updated = await tx.previewSession.updateMany({ where: { id: previewId, shareRevokedAt: null }, data: { shareRevokedAt: new Date() } });
    const current = (await tx.previewSession.findUnique({ where: { id: previewId } }))!;
    if (updated.count === 1) {
      await appendEvent(tx, {
        type: "PREVIEW_SHARE_REVOKED",
        stream: previewStream(current.snippetId),
        subject: { type: "preview", id: previewId },
        actor: viewer.actor,
        data: { previewId, snippetId: current.snippetId },
      });
    }
    return current;
  });
  return toView(row, origin);
}

/**
 * The preview a token opens. A token that does not verify, or names another preview, is
 * "not found" (404); an expired one, or a share token whose link was revoked or whose
 * row-side expiry passed, is "gone" (410).
 */
export async function resolvePreviewToken(db: Db, token: string, expect: { previewId?: string; purpose?: TokenPurpose } = {}): Promise<{ row: PreviewRow; purpose: TokenPurpose }> {
  const v = verifyPreviewToken(token);
  if (!v.ok) {
    if (v.reason === "expired") throw new AppError("gone", "this preview link has expired");
    throw notFound("preview");
  }
  const { previewId, purpose } = v.payload;
  if (expect.previewId && expect.previewId !== previewId) throw notFound("preview");
  if (expect.purpose && expect.purpose !== purpose) throw notFound("preview");
  const row = await db.previewSession.findUnique({ where: { id: previewId } });
  if (!row) throw notFound("preview");
  if (purpose === "share") {
    if (row.shareRevokedAt) throw new AppError("gone", "this preview link has been revoked");
    if (row.shareExpiresAt.getTime() <= Date.now()) throw new AppError("gone", "this preview link has expired");
  }
  return { row, purpose };
}

export async function recordPreviewOpened(db: Db, row: Pick<PreviewRow, "id" | "snippetId">, via: TokenPurpose, userAgent: string | null, ip: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.previewSession.update({ where: { id: row.id }, data: { openedCount: { increment: 1 } } });
    await appendEvent(tx, {
      type: "PREVIEW_SESSION_OPENED",
      stream: previewStream(row.snippetId),
      subject: { type: "preview", id: row.id },
      actor: { type: "system", id: null },
      data: { previewId: row.id, snippetId: row.snippetId, via, userAgent: userAgent?.slice(0, 500) ?? null, ip },
    });
  });
}

// CSP reports come from browsers without credentials: keep at most this many per preview
// per process, so a hostile preview cannot flood the event log.
const MAX_CSP_REPORTS_PER_PREVIEW = 20;
const cspReportCounts = new Map<string, number>();

export interface CspReport {
  documentUri: string;
  directive: string;
  blockedUri: string;
  sample: string | null;
}

/** `prv_…` from a frame document URL (`…/preview/<id>/frame?t=…`), or null. */
export function previewIdFromDocumentUri(uri: string): string | null {
  const m = /\/preview\/(prv_[0-9a-z]{26})\/frame(?:[?#]|$)/.exec(uri);
  return m ? m[1]! : null;
}

/** Records a CSP violation report; returns false when it was dropped (unknown preview or over the cap). */
export async function recordCspViolation(db: Db, report: CspReport): Promise<boolean> {
  const previewId = previewIdFromDocumentUri(report.documentUri);
  if (!previewId) return false;
  const count = cspReportCounts.get(previewId) ?? 0;
  if (count >= MAX_CSP_REPORTS_PER_PREVIEW) return false;
  cspReportCounts.set(previewId, count + 1);
  if (cspReportCounts.size > 10_000) cspReportCounts.clear();
  const row = await db.previewSession.findUnique({ where: { id: previewId }, select: { id: true, snippetId: true } });
  if (!row) return false;
  await appendEvent(db, {
    type: "PREVIEW_CSP_VIOLATION",
    stream: previewStream(row.snippetId),
    subject: { type: "preview", id: row.id },
    actor: { type: "system", id: null },
    data: {
      previewId: row.id,
      snippetId: row.snippetId,
      directive: report.directive.slice(0, 200),
      blockedUri: report.blockedUri.slice(0, 500),
      sample: report.sample?.slice(0, 200) ?? null,
    },
  });
  return true;
}
