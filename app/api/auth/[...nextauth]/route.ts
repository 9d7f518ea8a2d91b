// GET/POST /api/auth/* – next-auth (sign-in, sign-out, session, CSRF token). Sign-in
// attempts over the per-account or per-IP limit get a 429 before next-auth runs.
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/auth/auth-options";
import { assertSignInAllowed } from "@/lib/auth/sign-in";
import { getPrisma } from "@/lib/db/prisma";
import { getClientIp } from "@/lib/http/client-ip";
import { errorToResponse } from "@/lib/http/problem";
import { newId } from "@/lib/ids";

type Ctx = { params: Promise<{ nextauth: string[] }> };
const handler = (req: Request, ctx: Ctx) => NextAuth(getAuthOptions())(req, ctx);

export const GET = handler;

export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  if (new URL(req.url).pathname.endsWith("/callback/credentials")) {
    try {
      const form = await req.clone().formData();
      await assertSignInAllowed(getPrisma(), String(form.get("email") ?? ""), getClientIp(req.headers));
    } catch (err) {
      return errorToResponse(err, newId("req"));
    }
  }
  return handler(req, ctx);
}
