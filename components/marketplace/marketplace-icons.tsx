// Icons the marketplace and agent pages need beyond components/icons.tsx, drawn the same
// way (24×24 strokes that inherit colour and take their size from className).
import { defineIcon } from "../icons";

export const DownloadIcon = defineIcon(<><path d="M12 3.5v12m-5-5 5 5 5-5" /><path d="M4 17.5v1.5a1.5 1.5 0 0 0 1.5 1.5h13a1.5 1.5 0 0 0 1.5-1.5v-1.5" /></>, "DownloadIcon");
export const UploadIcon = defineIcon(<><path d="M12 15.5v-12m-5 5 5-5 5 5" /><path d="M4 17.5v1.5a1.5 1.5 0 0 0 1.5 1.5h13a1.5 1.5 0 0 0 1.5-1.5v-1.5" /></>, "UploadIcon");
export const GlobeIcon = defineIcon(<><circle cx="12" cy="12" r="9" /><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18" /></>, "GlobeIcon");
export const FileCodeIcon = defineIcon(<><path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" /><path d="M14 3v5h5" /><path d="m10 12.5-2 2 2 2M14 12.5l2 2-2 2" /></>, "FileCodeIcon");
export const EyeOffIcon = defineIcon(<><path d="M10.6 5.1A10 10 0 0 1 12 5c5.5 0 9 5.5 9 7a9.7 9.7 0 0 1-2.4 3.4M6.5 6.5C4.2 8 3 10.4 3 12c0 1.5 3.5 7 9 7a9 9 0 0 0 4.7-1.3" /><path d="M9.9 9.9a3 3 0 0 0 4.2 4.2M3 3l18 18" /></>, "EyeOffIcon");
export const PowerIcon = defineIcon(<><path d="M12 3v8" /><path d="M6.3 6.8a8 8 0 1 0 11.4 0" /></>, "PowerIcon");
export const UndoIcon = defineIcon(<><path d="M9 14 4 9l5-5" /><path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" /></>, "UndoIcon");
export const TrashIcon = defineIcon(<><path d="M4 7h16M10 11v6M14 11v6" /><path d="M5.5 7l1 12a2 2 0 0 0 2 1.8h7a2 2 0 0 0 2-1.8l1-12M9 7V4.5a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1V7" /></>, "TrashIcon");
export const SlidersIcon = defineIcon(<><path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1" /><circle cx="15" cy="6" r="2" /><circle cx="9" cy="12" r="2" /><circle cx="17" cy="18" r="2" /></>, "SlidersIcon");
export const ArrowUpCircleIcon = defineIcon(<><circle cx="12" cy="12" r="9" /><path d="m8.5 11.5 3.5-3.5 3.5 3.5M12 8v8" /></>, "ArrowUpCircleIcon");
export const PencilIcon = defineIcon(<><path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L8 18l-4 1 1-4z" /><path d="m14.5 5.5 3 3" /></>, "PencilIcon");
export const ExternalLinkIcon = defineIcon(<><path d="M14 4h6v6M20 4l-9 9" /><path d="M18 14v4.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 4 18.5v-11A1.5 1.5 0 0 1 5.5 6H10" /></>, "ExternalLinkIcon");
export const BanIcon = defineIcon(<><circle cx="12" cy="12" r="9" /><path d="m5.6 5.6 12.8 12.8" /></>, "BanIcon");
export const MessageIcon = defineIcon(<path d="M20 15a2 2 0 0 1-2 2H8l-4 3.5V6a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2z" />, "MessageIcon");
