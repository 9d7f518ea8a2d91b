// GET /p/<token>: a shared preview for people who are not signed in: a minimal page with
// OpenGraph tags (chat unfurls) around <iframe sandbox="allow-scripts">. Tampered 404,
// expired or revoked 410.
import { getPrisma } from "@/lib/db/prisma";
import { serveShareViewer } from "@/lib/previews/serve-frame";

export const dynamic = "force-dynamic";

export async function GET(req: Request, ctx: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await ctx.params;
  return serveShareViewer(getPrisma(), req, token);
}
