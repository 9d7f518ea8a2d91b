// Zod schemas of every input the snippets API accepts (bodies, queries, params). The
// use-cases take the inferred types; there is no hand-written copy. Code size is checked in
// bytes by the use-cases (413), not here, so a too-large paste is "too large", not "invalid".
import { z } from "zod";

export const SNIPPET_LANGUAGES = ["html", "javascript", "css"] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];
/** Largest code a snippet may hold, in UTF-8 bytes (the preview cap is 512 KB too). */
export const MAX_SNIPPET_CODE_BYTES = 512 * 1024;
export const MAX_SNIPPET_TAGS = 20;

const title = z.string().trim().min(1, "give a title").max(200);
const language = z.enum(SNIPPET_LANGUAGES);
// Characters, generously above the byte cap / 4, so the byte check is the one that fires.
const code = z.string().max(MAX_SNIPPET_CODE_BYTES * 2);
const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, "a tag is 1–40 characters: letters, digits, . _ -");
const tags = z
  .array(tag)
  .max(MAX_SNIPPET_TAGS)
  .transform((list) => [...new Set(list)]);

export const CreateSnippetSchema = z.strictObject({ title, language, code, tags: tags.default([]) });
export type CreateSnippetInput = z.infer<typeof CreateSnippetSchema>;

export const UpdateSnippetSchema = z
  .strictObject({
    title: title.optional(),
    language: language.optional(),
    code: code.optional(),
    tags: tags.optional(),
    /** Optimistic concurrency: the version the editor started from; another version → 409. */
    version: z.number().int().min(1).optional(),
  })
  .refine((v) => v.title !== undefined || v.language !== undefined || v.code !== undefined || v.tags !== undefined, {
    message: "give title, language, code or tags",
  });
export type UpdateSnippetInput = z.infer<typeof UpdateSnippetSchema>;

export const ListSnippetsQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  language: language.optional(),
  tag: tag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
  /** Admins only: every snippet of the organisation instead of their own. */
  all: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});
export type ListSnippetsQuery = z.infer<typeof ListSnippetsQuerySchema>;

export const ListSnippetAuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(200),
  /** The last seq of the previous page (events are oldest first). */
  cursor: z.string().regex(/^\d{1,19}$/, "expected a sequence number").optional(),
});
export type ListSnippetAuditQuery = z.infer<typeof ListSnippetAuditQuerySchema>;

export const SnippetParamsSchema = z.object({ id: z.string().min(1).max(100) });
