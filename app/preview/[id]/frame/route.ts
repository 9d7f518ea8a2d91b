// GET /preview/<id>/frame?t=<signed token>: the sandboxed preview document (CSP `sandbox
// allow-scripts`, so it runs in an opaque origin even when opened directly). No session is
// read and no cookie is set; the token alone decides (tampered 404, expired/revoked 410).
import { getPrisma } from "@/lib/db/prisma";
import { serveFrame } from "@/lib/previews/serve-frame";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return serveFrame(getPrisma(), req, id);
}
