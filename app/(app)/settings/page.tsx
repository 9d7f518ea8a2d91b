import type { Metadata } from "next";
import { listUsers } from "@/lib/auth/users";
import { getPrisma } from "@/lib/db/prisma";
import { getSettings } from "@/lib/settings/settings";
import { requireUser } from "../get-current-user";
import { SettingsView } from "./settings-view";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const db = getPrisma();
  const isAdmin = user.role === "admin";
  const [settings, users] = await Promise.all([getSettings(db), isAdmin ? listUsers(db) : Promise.resolve(null)]);
  return <SettingsView user={user} settings={settings} users={users} />;
}
