"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch, errorMessage } from "@/components/api/api-client";
import { Avatar } from "@/components/shell/user-menu";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { useToast } from "@/components/ui/toast";
import type { UserRecord } from "@/lib/auth/users";

export function UsersCard({ initialUsers, currentUserId }: { initialUsers: UserRecord[]; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [pendingId, setPendingId] = useState<string | null>(null);
  const toast = useToast();
  const router = useRouter();

  async function update(user: UserRecord, patch: { role?: "admin" | "member"; disabled?: boolean }) {
    setPendingId(user.id);
    try {
      const saved = await apiFetch<UserRecord>(`/api/users/${encodeURIComponent(user.id)}`, { method: "PATCH", json: patch });
      setUsers((us) => us.map((u) => (u.id === saved.id ? saved : u)));
      if (patch.role) toast.success(`${saved.name || saved.email} is now ${patch.role === "admin" ? "an admin" : "a member"}`);
      else toast.success(saved.disabled ? `${saved.email} disabled` : `${saved.email} re-enabled`, saved.disabled ? "Their sessions and API tokens stop working at once." : undefined);
      if (user.id === currentUserId && patch.role === "member") router.refresh();
    } catch (err) {
      toast.error("Could not update the account", errorMessage(err));
    } finally {
      setPendingId(null);
    }
  }

  const admins = users.filter((u) => u.role === "admin" && !u.disabled).length;
  return (
    <Card aria-labelledby="users-title" className="overflow-hidden">
      <CardHeader
        id="users-title"
        title="Users"
        description={`${users.length} account${users.length === 1 ? "" : "s"} · ${admins} active admin${admins === 1 ? "" : "s"}. Disabling an account signs it out everywhere.`}
      />
      <div className="overflow-x-auto">
        <table className="w-full text-left text-[13px]">
          <thead className="border-b border-border bg-surface-2/60 text-xs text-fg-subtle">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">User</th>
              <th scope="col" className="px-3 py-2 font-medium">Role</th>
              <th scope="col" className="px-3 py-2 font-medium">Active</th>
              <th scope="col" className="px-5 py-2 text-right font-medium">Joined</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-border">
            {users.map((u) => {
              const isSelf = u.id === currentUserId;
              const busy = pendingId === u.id;
              return (
                <tr key={u.id} data-testid="user-row" className={u.disabled ? "bg-surface-2/40" : undefined}>
                  <td className="px-5 py-3">
                    <div className="flex items-center gap-3">
                      <Avatar name={u.name} email={u.email} className={u.disabled ? "opacity-40 grayscale" : undefined} />
                      <div className="min-w-0">
                        <p className="flex items-center gap-2 font-medium text-fg">
                          <span className="truncate">{u.name || u.email}</span>
                          {isSelf && <Badge tone="accent">You</Badge>}
                          {u.disabled && <Badge tone="danger">Disabled</Badge>}
                        </p>
                        <p className="truncate text-xs text-fg-subtle">{u.email}</p>
                      </div>
                    </div>
                  </td>
                  <td className="px-3 py-3">
                    <div className="flex items-center gap-2">
                      <Select
                        selectSize="sm"
                        className="w-28"
                        aria-label={`Role of ${u.email}`}
                        value={u.role}
                        disabled={busy}
                        onChange={(e) => update(u, { role: e.target.value as "admin" | "member" })}
                      >
                        <option value="member">Member</option>
                        <option value="admin">Admin</option>
                      </Select>
                      {busy && <Spinner className="size-3.5 text-fg-subtle" label="Saving" />}
                    </div>
                  </td>
                  <td className="px-3 py-3">
                    <span title={isSelf ? "You cannot disable your own account" : undefined}>
                      <Switch
                        checked={!u.disabled}
                        disabled={busy || isSelf}
                        onChange={(active) => update(u, { disabled: !active })}
                        aria-label={`${u.email} can sign in`}
                      />
                    </span>
                  </td>
                  <td className="px-5 py-3 text-right whitespace-nowrap text-fg-muted" suppressHydrationWarning>{new Date(u.createdAt).toLocaleDateString("en", { dateStyle: "medium" })}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
