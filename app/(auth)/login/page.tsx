import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/app/(app)/get-current-user";
import { safeCallbackUrl } from "@/components/api/auth-client";
import { getPrisma } from "@/lib/db/prisma";
import { getSettings } from "@/lib/settings/settings";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(typeof params.callbackUrl === "string" ? params.callbackUrl : null);
  if (await getCurrentUser()) redirect(callbackUrl);
  const { signupEnabled } = await getSettings(getPrisma());
  const error = typeof params.error === "string" ? params.error : null;
  return <LoginForm callbackUrl={callbackUrl} signupEnabled={signupEnabled} initialError={error} />;
}
