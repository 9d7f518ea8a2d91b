// A draft as the API returns it, and the summary fields lifted from its state for lists
// (name, slug, method): the state is stored as sent, these are read from it leniently.
import type { Prisma } from "../../db/prisma";
import { AppError } from "../../errors";
import { MAX_DRAFT_STATE_BYTES } from "./draft-schemas";
import { SLUG_PATTERN } from "../../registry/manifest-schema";

export const draftSelect = { id: true, ownerId: true, slug: true, method: true, state: true, revision: true, createdAt: true, updatedAt: true } as const;
export type DraftRow = Prisma.CapabilityDraftGetPayload<{ select: typeof draftSelect }>;

export interface DraftRecord {
  id: string;
  slug: string | null;
  name: string;
  method: string;
  revision: number;
  state: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

const METHODS = new Set(["visual", "code", "connector", "upload"]);

/** Slug, name and method as the state says them (anything odd: null / "" / "visual"). */
export function draftSummary(state: Record<string, unknown>): { slug: string | null; name: string; method: string } {
  const basics = state.basics && typeof state.basics === "object" ? (state.basics as Record<string, unknown>) : {};
  const slug = typeof basics.slug === "string" && SLUG_PATTERN.test(basics.slug) ? basics.slug : null;
  const name = typeof basics.name === "string" ? basics.name.slice(0, 200) : "";
  const method = typeof state.method === "string" && METHODS.has(state.method) ? state.method : "visual";
  return { slug, name, method };
}

export function toDraftRecord(row: DraftRow): DraftRecord {
  const state = (row.state && typeof row.state === "object" && !Array.isArray(row.state) ? row.state : {}) as Record<string, unknown>;
  return {
    id: row.id,
    slug: row.slug,
    name: draftSummary(state).name,
    method: row.method,
    revision: row.revision,
    state,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** 413 when the state is over the cap; returns its size in bytes. */
export function assertStateSize(state: unknown): number {
  const size = Buffer.byteLength(JSON.stringify(state), "utf8");
  if (size > MAX_DRAFT_STATE_BYTES) {
    throw new AppError("payload_too_large", `the draft is ${size} bytes; a draft holds at most ${MAX_DRAFT_STATE_BYTES} bytes`, {
      errors: [{ path: "state", message: `at most ${MAX_DRAFT_STATE_BYTES} bytes` }],
    });
  }
  return size;
}
