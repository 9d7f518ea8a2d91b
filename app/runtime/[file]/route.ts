// GET /runtime/:file – a preview runtime bundle (three, Chart.js, d3…) by its content-hashed
// name. Only files listed in .runtime/manifest.json are served (anything else, including
// path tricks, is a 404), public and immutable; ACAO * because sandboxed preview frames
// have an opaque origin and load these scripts with crossorigin for SRI.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { findRuntimeFile, runtimeDir } from "@/lib/previews/runtime-manifest";

export const dynamic = "force-dynamic";

const COMMON_HEADERS = {
  "access-control-allow-origin": "*",
  "x-content-type-options": "nosniff",
  "cross-origin-resource-policy": "cross-origin",
};

function notFound(): Response {
  return new Response("not found\n", {
    status: 404,
    headers: { ...COMMON_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

async function serve(req: Request, ctx: { params: Promise<{ file: string }> }, withBody: boolean): Promise<Response> {
  const { file } = await ctx.params;
  const found = findRuntimeFile(file);
  if (!found) return notFound();
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(runtimeDir(), found.entry.file));
  } catch {
    return notFound();
  }
  const headers = {
    ...COMMON_HEADERS,
    "content-type": "text/javascript; charset=utf-8",
    "content-length": String(bytes.length),
    "cache-control": "public, max-age=31536000, immutable",
    etag: `"${found.entry.integrity}"`,
  };
  if (req.headers.get("if-none-match") === headers.etag) return new Response(null, { status: 304, headers });
  return new Response(withBody ? new Uint8Array(bytes) : null, { status: 200, headers });
}

export function GET(req: Request, ctx: { params: Promise<{ file: string }> }) {
  return serve(req, ctx, true);
}

export function HEAD(req: Request, ctx: { params: Promise<{ file: string }> }) {
  return serve(req, ctx, false);
}
