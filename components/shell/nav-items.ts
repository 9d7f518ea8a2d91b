import type { ComponentType, SVGProps } from "react";
import { ActivityIcon, BlocksIcon, BotIcon, CodeIcon, HomeIcon, InboxCheckIcon, PlayIcon, SettingsIcon, StoreIcon } from "@/components/icons";

export interface NavItem {
  href: string;
  label: string;
  Icon: ComponentType<SVGProps<SVGSVGElement>>;
}

export const PRIMARY_NAV: NavItem[] = [
  { href: "/", label: "Overview", Icon: HomeIcon },
  { href: "/marketplace", label: "Marketplace", Icon: StoreIcon },
  { href: "/builder", label: "Builder", Icon: BlocksIcon },
  { href: "/agents", label: "Agents", Icon: BotIcon },
  { href: "/executions", label: "Executions", Icon: PlayIcon },
  { href: "/approvals", label: "Approvals", Icon: InboxCheckIcon },
  { href: "/timeline", label: "Timeline", Icon: ActivityIcon },
  { href: "/snippets", label: "Snippets", Icon: CodeIcon },
];

export const SECONDARY_NAV: NavItem[] = [{ href: "/settings", label: "Settings", Icon: SettingsIcon }];

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
