// Route parameter schemas shared by the /api/capabilities handlers.
import { z } from "zod";

export const SlugParams = z.object({ slug: z.string().min(1).max(64) });
export const VersionParams = SlugParams.extend({ version: z.string().min(1).max(100) });
