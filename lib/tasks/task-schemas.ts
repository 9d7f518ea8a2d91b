// The request shapes of task materialization (POST /api/snippets/:id/tasks) and the task
// reads, parsed with zod at the trust boundary. Pure.
import { z } from "zod";
import { PageQuerySchema } from "../registry/cursor";

export const MAX_TASK_TITLE = 200;

export const MaterializeTaskSchema = z
  .object({
    title: z.string().trim().min(1).max(MAX_TASK_TITLE).optional(),
    autoRun: z.boolean().optional(),
  })
  .strict();
export type MaterializeTaskInput = z.infer<typeof MaterializeTaskSchema>;

export const SnippetParamsSchema = z.object({ id: z.string().min(1).max(100) });
export const TaskParamsSchema = z.object({ id: z.string().min(1).max(100) });
export const ListTasksQuerySchema = PageQuerySchema;
export type ListTasksQuery = z.infer<typeof ListTasksQuerySchema>;

/** What an approval of kind materialize_task stores to run once approved: the snippet version is pinned. */
export const TaskPayloadSchema = z.object({
  snippetId: z.string(),
  snippetVersion: z.number().int(),
  /** sha256 of the code at that version, so a reader can see which code the task was asked for. */
  codeSha256: z.string(),
  title: z.string(),
  autoRun: z.boolean(),
});
export type TaskPayload = z.infer<typeof TaskPayloadSchema>;
