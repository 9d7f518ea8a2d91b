// The read shapes of a snippet, shared by the snippet use-cases: the full record (with code)
// for one snippet, the summary (without code) for lists.
import type { SnippetLanguage } from "./snippet-schemas";

export interface SnippetSummary {
  id: string;
  title: string;
  language: SnippetLanguage;
  tags: string[];
  version: number;
  ownerId: string;
  size: number;
  createdAt: string;
  updatedAt: string;
}

export interface SnippetRecord extends SnippetSummary {
  code: string;
}

export const snippetRecordSelect = {
  id: true,
  title: true,
  language: true,
  code: true,
  tags: true,
  version: true,
  ownerId: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface SnippetRow {
  id: string;
  title: string;
  language: string;
  code: string;
  tags: string[];
  version: number;
  ownerId: string;
  createdAt: Date;
  updatedAt: Date;
}

export function codeBytes(code: string): number {
  return Buffer.byteLength(code, "utf8");
}

export function toSnippetRecord(s: SnippetRow): SnippetRecord {
  return {
    id: s.id,
    title: s.title,
    language: s.language as SnippetLanguage,
    code: s.code,
    tags: s.tags,
    version: s.version,
    ownerId: s.ownerId,
    size: codeBytes(s.code),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
