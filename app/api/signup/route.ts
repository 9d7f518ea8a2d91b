// POST /api/signup – create a member account, when the organisation allows sign-up
import { SignUpSchema, signUp } from "@/lib/auth/users";
import { apiRoute, json } from "@/lib/http/api-route";

export const POST = apiRoute({ route: "/api/signup", auth: "none", body: SignUpSchema }, async ({ db, body, clientIp }) =>
  json(await signUp(db, body, clientIp), { status: 201 }),
);
