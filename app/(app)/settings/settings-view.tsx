import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { UserRecord } from "@/lib/auth/users";
import type { Settings } from "@/lib/settings/settings";
import type { CurrentUser } from "../get-current-user";
import { OrganisationCard } from "./organisation-card";
import { UsersCard } from "./users-card";

export function SettingsView({ user, settings, users }: { user: CurrentUser; settings: Settings; users: UserRecord[] | null }) {
  const isAdmin = user.role === "admin";
  return (
    <div className="space-y-6">
      <Card aria-labelledby="profile-title">
        <CardHeader id="profile-title" title="Profile" description="Who you are signed in as. Contact an administrator to change your role." />
        <CardBody>
          <dl className="grid gap-x-8 gap-y-4 text-[13.5px] sm:grid-cols-2">
            <ProfileItem label="Name">{user.name}</ProfileItem>
            <ProfileItem label="Email">
              <span data-testid="profile-email">{user.email}</span>
            </ProfileItem>
            <ProfileItem label="Role">
              <Badge tone={isAdmin ? "accent" : "neutral"}>{isAdmin ? "Admin" : "Member"}</Badge>
            </ProfileItem>
            <ProfileItem label="Member since">{new Date(user.createdAt).toLocaleDateString("en", { dateStyle: "long" })}</ProfileItem>
            <ProfileItem label="User ID">
              <code className="font-mono text-[12.5px] text-fg-muted">{user.id}</code>
            </ProfileItem>
            <ProfileItem label="Session scopes">
              <span className="text-fg-muted">{isAdmin ? "All scopes, including admin" : `${user.scopes.length} scopes (everything except admin)`}</span>
            </ProfileItem>
          </dl>
        </CardBody>
      </Card>
      <OrganisationCard initial={{ signupEnabled: settings.signupEnabled, membersMayApproveRestricted: settings.membersMayApproveRestricted }} canEdit={isAdmin} />
      {users && <UsersCard initialUsers={users} currentUserId={user.id} />}
    </div>
  );
}

function ProfileItem({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium text-fg-subtle">{label}</dt>
      <dd className="mt-1 text-fg">{children}</dd>
    </div>
  );
}
