// Inline stroke icons (24×24 grid), drawn for this app so no icon package is needed.
// They inherit colour from text and size from className; decorative by default.
import type { ReactNode, SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement>;

/** Makes an icon component from its paths; other icon sets of the app use it too. */
export function defineIcon(paths: ReactNode, displayName: string) {
  function Icon({ className = "size-4", ...props }: IconProps) {
    return (
      <svg aria-hidden viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" className={className} {...props}>
        {paths}
      </svg>
    );
  }
  Icon.displayName = displayName;
  return Icon;
}

export const HomeIcon = defineIcon(<><path d="M3 10.5 12 3l9 7.5" /><path d="M5 9.5V20a1 1 0 0 0 1 1h4v-6h4v6h4a1 1 0 0 0 1-1V9.5" /></>, "HomeIcon");
export const StoreIcon = defineIcon(<><path d="M3.5 9 5 4h14l1.5 5" /><path d="M3.5 9a2.8 2.8 0 0 0 5.6 0 2.8 2.8 0 0 0 5.8 0 2.8 2.8 0 0 0 5.6 0" /><path d="M5 11.5V20h14v-8.5" /><path d="M10 20v-5h4v5" /></>, "StoreIcon");
export const BlocksIcon = defineIcon(<><rect x="3" y="3" width="7.5" height="7.5" rx="1.5" /><rect x="13.5" y="13.5" width="7.5" height="7.5" rx="1.5" /><path d="M3 13.5h7.5V21H4.5A1.5 1.5 0 0 1 3 19.5z" /><path d="M17.25 3v7.5M13.5 6.75H21" /></>, "BlocksIcon");
export const BotIcon = defineIcon(<><rect x="4" y="8" width="16" height="12" rx="3" /><path d="M12 8V4.5" /><circle cx="12" cy="3.5" r="1" /><path d="M9 13.5v1M15 13.5v1" /><path d="M2 13v3M22 13v3" /></>, "BotIcon");
export const InboxCheckIcon = defineIcon(<><path d="M3 13h4.5l1.5 3h6l1.5-3H21" /><path d="M5.4 5.6 3 13v6a1 1 0 0 0 1 1h16a1 1 0 0 0 1-1v-6l-2.4-7.4A1 1 0 0 0 17.6 5H16" /><path d="M8 5h-.6a1 1 0 0 0-1 .6" /><path d="m9 7.5 2 2 4-4.5" /></>, "InboxCheckIcon");
export const ActivityIcon = defineIcon(<path d="M3 12h4l3-8 4 16 3-8h4" />, "ActivityIcon");
export const CodeIcon = defineIcon(<><path d="m8 7-5 5 5 5M16 7l5 5-5 5" /><path d="m14 4-4 16" /></>, "CodeIcon");
export const SettingsIcon = defineIcon(<><path d="M12.2 2h-.4a2 2 0 0 0-2 2v.2a2 2 0 0 1-1 1.7l-.4.3a2 2 0 0 1-2 0l-.2-.1a2 2 0 0 0-2.7.7l-.2.4a2 2 0 0 0 .7 2.7l.2.1a2 2 0 0 1 1 1.7v.6a2 2 0 0 1-1 1.7l-.2.1a2 2 0 0 0-.7 2.7l.2.4a2 2 0 0 0 2.7.7l.2-.1a2 2 0 0 1 2 0l.4.3a2 2 0 0 1 1 1.7v.2a2 2 0 0 0 2 2h.4a2 2 0 0 0 2-2v-.2a2 2 0 0 1 1-1.7l.4-.3a2 2 0 0 1 2 0l.2.1a2 2 0 0 0 2.7-.7l.2-.4a2 2 0 0 0-.7-2.7l-.2-.1a2 2 0 0 1-1-1.7v-.6a2 2 0 0 1 1-1.7l.2-.1a2 2 0 0 0 .7-2.7l-.2-.4a2 2 0 0 0-2.7-.7l-.2.1a2 2 0 0 1-2 0l-.4-.3a2 2 0 0 1-1-1.7V4a2 2 0 0 0-2-2Z" /><circle cx="12" cy="12" r="3" /></>, "SettingsIcon");
export const KeyIcon = defineIcon(<><circle cx="7.5" cy="15.5" r="4.5" /><path d="m10.7 12.3 9.8-9.8M17 6l3 3M14.5 8.5l2 2" /></>, "KeyIcon");
export const LogOutIcon = defineIcon(<><path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4" /><path d="m16 17 5-5-5-5M21 12H9" /></>, "LogOutIcon");
export const SunIcon = defineIcon(<><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" /></>, "SunIcon");
export const MoonIcon = defineIcon(<path d="M20.5 14.5A8.5 8.5 0 0 1 9.5 3.5a8.5 8.5 0 1 0 11 11Z" />, "MoonIcon");
export const MonitorIcon = defineIcon(<><rect x="2.5" y="3.5" width="19" height="13" rx="2" /><path d="M8 20.5h8M12 16.5v4" /></>, "MonitorIcon");
export const MenuIcon = defineIcon(<path d="M4 6h16M4 12h16M4 18h16" />, "MenuIcon");
export const XIcon = defineIcon(<path d="M18 6 6 18M6 6l12 12" />, "XIcon");
export const ChevronDownIcon = defineIcon(<path d="m6 9 6 6 6-6" />, "ChevronDownIcon");
export const ChevronRightIcon = defineIcon(<path d="m9 6 6 6-6 6" />, "ChevronRightIcon");
export const ChevronsUpDownIcon = defineIcon(<path d="m7 15 5 5 5-5M7 9l5-5 5 5" />, "ChevronsUpDownIcon");
export const SearchIcon = defineIcon(<><circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" /></>, "SearchIcon");
export const FilterIcon = defineIcon(<path d="M3 5h18l-7 8.5V19l-4 2v-7.5z" />, "FilterIcon");
export const UserIcon = defineIcon(<><circle cx="12" cy="8" r="4" /><path d="M4 21a8 8 0 0 1 16 0" /></>, "UserIcon");
export const UsersIcon = defineIcon(<><circle cx="9" cy="8" r="3.5" /><path d="M2.5 20a6.5 6.5 0 0 1 13 0" /><path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18.5 14.2A6.5 6.5 0 0 1 21.5 20" /></>, "UsersIcon");
export const CpuIcon = defineIcon(<><rect x="6" y="6" width="12" height="12" rx="2" /><rect x="9.5" y="9.5" width="5" height="5" rx="0.5" /><path d="M9 2.5V6M15 2.5V6M9 18v3.5M15 18v3.5M2.5 9H6M2.5 15H6M18 9h3.5M18 15h3.5" /></>, "CpuIcon");
export const ShieldIcon = defineIcon(<path d="M12 21.5s8-3.5 8-10V5l-8-3-8 3v6.5c0 6.5 8 10 8 10Z" />, "ShieldIcon");
export const ShieldCheckIcon = defineIcon(<><path d="M12 21.5s8-3.5 8-10V5l-8-3-8 3v6.5c0 6.5 8 10 8 10Z" /><path d="m8.5 11.5 2.5 2.5 4.5-5" /></>, "ShieldCheckIcon");
export const ShieldAlertIcon = defineIcon(<><path d="M12 21.5s8-3.5 8-10V5l-8-3-8 3v6.5c0 6.5 8 10 8 10Z" /><path d="M12 7.5v5M12 16v.01" /></>, "ShieldAlertIcon");
export const LinkIcon = defineIcon(<><path d="M10 14a4.5 4.5 0 0 0 6.4 0l3.2-3.2a4.5 4.5 0 0 0-6.4-6.4l-1 1" /><path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3.2 3.2a4.5 4.5 0 0 0 6.4 6.4l1-1" /></>, "LinkIcon");
export const RefreshIcon = defineIcon(<><path d="M20.5 12a8.5 8.5 0 0 1-15 5.5M3.5 12a8.5 8.5 0 0 1 15-5.5" /><path d="M18.5 2.5v4h-4M5.5 21.5v-4h4" /></>, "RefreshIcon");
export const ArrowUpRightIcon = defineIcon(<path d="M7 17 17 7M8 7h9v9" />, "ArrowUpRightIcon");
export const ArrowRightIcon = defineIcon(<path d="M4 12h16m-6-6 6 6-6 6" />, "ArrowRightIcon");
export const ArrowUpIcon = defineIcon(<path d="M12 20V4m-6 6 6-6 6 6" />, "ArrowUpIcon");
export const CheckIcon = defineIcon(<path d="M20 6 9 17l-5-5" />, "CheckIcon");
export const CheckCircleIcon = defineIcon(<><circle cx="12" cy="12" r="9.5" /><path d="m8 12 3 3 5-6" /></>, "CheckCircleIcon");
export const AlertIcon = defineIcon(<><path d="M10.3 3.9 2.6 17.2A2 2 0 0 0 4.3 20h15.4a2 2 0 0 0 1.7-2.8L13.7 3.9a2 2 0 0 0-3.4 0Z" /><path d="M12 9v4M12 16.5v.01" /></>, "AlertIcon");
export const PlusIcon = defineIcon(<path d="M12 5v14M5 12h14" />, "PlusIcon");
export const ClockIcon = defineIcon(<><circle cx="12" cy="12" r="9.5" /><path d="M12 7v5l3 2" /></>, "ClockIcon");
export const HashIcon = defineIcon(<path d="M4 9h16M4 15h16M10 3 8 21M16 3l-2 18" />, "HashIcon");
export const LayersIcon = defineIcon(<><path d="m12 2.5 9.5 5L12 12.5 2.5 7.5z" /><path d="m2.5 12 9.5 5 9.5-5" /><path d="m2.5 16.5 9.5 5 9.5-5" /></>, "LayersIcon");
export const DatabaseIcon = defineIcon(<><ellipse cx="12" cy="5" rx="8" ry="3" /><path d="M4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5" /><path d="M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3" /></>, "DatabaseIcon");
export const PulseIcon = defineIcon(<><path d="M2 12h3.5l2-5 4 10 2.5-7 1.5 2H22" /></>, "PulseIcon");
export const GitBranchIcon = defineIcon(<><circle cx="6" cy="5" r="2.5" /><circle cx="6" cy="19" r="2.5" /><circle cx="18" cy="7" r="2.5" /><path d="M6 7.5v9M18 9.5c0 4-4 4.5-9.5 7.5" /></>, "GitBranchIcon");
export const NoteIcon = defineIcon(<><path d="M14.5 2.5H6a2 2 0 0 0-2 2v15a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z" /><path d="M14 2.5V8h6M8 13h8M8 17h5" /></>, "NoteIcon");
export const PlayIcon = defineIcon(<path d="M7 4.5v15l12-7.5z" />, "PlayIcon");
export const SparklesIcon = defineIcon(<><path d="M12 3v3M12 18v3M3 12h3M18 12h3" /><path d="m12 8 1.2 2.8L16 12l-2.8 1.2L12 16l-1.2-2.8L8 12l2.8-1.2z" /></>, "SparklesIcon");
export const PackageIcon = defineIcon(<><path d="M21 8 12 3 3 8v8l9 5 9-5z" /><path d="m3 8 9 5 9-5M12 13v8M7.5 5.5l9 5" /></>, "PackageIcon");
export const LockIcon = defineIcon(<><rect x="4" y="10.5" width="16" height="11" rx="2" /><path d="M8 10.5V7a4 4 0 0 1 8 0v3.5" /></>, "LockIcon");
export const EyeIcon = defineIcon(<><path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12Z" /><circle cx="12" cy="12" r="3" /></>, "EyeIcon");
