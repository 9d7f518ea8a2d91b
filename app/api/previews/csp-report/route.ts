// POST /api/previews/csp-report: where preview frames' CSP violation reports land (sent by
// the browser, without credentials, from an opaque origin). Recorded as
// PREVIEW_CSP_VIOLATION, capped per preview; always 204.
import { getPrisma } from "@/lib/db/prisma";
import { receiveCspReport } from "@/lib/previews/serve-frame";

export async function POST(req: Request): Promise<Response> {
  return receiveCspReport(getPrisma(), req);
}
