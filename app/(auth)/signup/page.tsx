import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/app/(app)/get-current-user";
import { getPrisma } from "@/lib/db/prisma";
import { getSettings } from "@/lib/settings/settings";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignupPage() {
  if (await getCurrentUser()) redirect("/");
  const { signupEnabled } = await getSettings(getPrisma());
  return <SignupForm signupEnabled={signupEnabled} />;
}
