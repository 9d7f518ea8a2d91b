import type { Metadata } from "next";
import { headers } from "next/headers";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { SCOPES, scopesForRole } from "@/lib/auth/scopes";
import { getPrisma } from "@/lib/db/prisma";
import { requireUser } from "../../get-current-user";
import { TokensView } from "./tokens-view";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const tokens = await listApiTokens(getPrisma(), user.id);
  const scopeOptions = scopesForRole(user.role).map((name) => ({ name, description: SCOPES[name] }));
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost"}`;
  return <TokensView initialTokens={tokens} scopeOptions={scopeOptions} origin={origin} />;
}
