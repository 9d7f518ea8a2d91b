// Request shapes of the drafts API (/api/builder/drafts): the state itself is opaque JSON
// here (the wizard parses it tolerantly with BuilderStateSchema), capped at 1 MB.
import { z } from "zod";

/** A draft's state, as UTF-8 JSON, at most this many bytes (413 beyond). */
export const MAX_DRAFT_STATE_BYTES = 1024 * 1024;

const StateSchema = z.record(z.string(), z.unknown());

export const CreateDraftSchema = z.object({ state: StateSchema });
export type CreateDraftInput = z.infer<typeof CreateDraftSchema>;

export const UpdateDraftSchema = z.object({ state: StateSchema, expectedRevision: z.number().int().min(1) });
export type UpdateDraftInput = z.infer<typeof UpdateDraftSchema>;

/** Any id shape: one that is not a draft id is simply not found (404), like any other. */
export const DraftParamsSchema = z.object({ id: z.string().min(1).max(100) });
