// Opaque cursors for keyset pagination: the sort key values of the last item plus its
// id, as base64url JSON tagged with what they belong to, so a cursor from one list or
// sort is refused by another instead of silently skipping rows. Pure.
import { z } from "zod";
import { AppError } from "../errors";

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
});

export type CursorKey = (string | number | null)[];

export function encodeCursor(tag: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([tag, ...key])).toString("base64url");
}

export function decodeCursor(tag: string, cursor: string, length: number): CursorKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = null;
  }
  if (!Array.isArray(value) || value[0] !== tag || value.length !== length + 1 || !value.slice(1).every((v) => v === null || typeof v === "string" || typeof v === "number")) {
    throw new AppError("bad_request", "the cursor is not valid", { errors: [{ path: "cursor", message: "not a cursor returned by this list (with these sort options)" }] });
  }
  return value.slice(1) as CursorKey;
}
