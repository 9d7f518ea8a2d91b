import { ActivityIcon, BotIcon, CodeIcon, CpuIcon, InboxCheckIcon, KeyIcon, NoteIcon, PackageIcon, PlayIcon, SettingsIcon, UserIcon } from "@/components/icons";
import { cx } from "@/components/ui/cx";
import { eventDomain, severityMeta } from "./event-format";

const ICONS = {
  system: CpuIcon,
  user: UserIcon,
  token: KeyIcon,
  setting: SettingsIcon,
  note: NoteIcon,
  capability: PackageIcon,
  agent: BotIcon,
  installation: BotIcon,
  approval: InboxCheckIcon,
  execution: PlayIcon,
  snippet: CodeIcon,
  preview: CodeIcon,
} as const;

export function EventIcon({ type, severity, className }: { type: string; severity: string; className?: string }) {
  const Icon = ICONS[eventDomain(type) as keyof typeof ICONS] ?? ActivityIcon;
  const meta = severityMeta(severity);
  return (
    <span aria-hidden className={cx("grid size-7 shrink-0 place-items-center rounded-lg", meta.soft, severity === "info" ? "text-fg-muted" : meta.text, className)}>
      <Icon className="size-[15px]" />
    </span>
  );
}
