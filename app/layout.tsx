// Root layout: html shell, design tokens, and the theme applied before first paint.
// Awaiting headers() makes every page dynamic, so Next stamps the per-request CSP nonce
// (set by proxy.ts) on its own scripts; the theme script carries the same nonce.
import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { THEME_SCRIPT } from "@/components/shell/theme-script";
import { ThemeWatcher } from "@/components/shell/theme-toggle";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Capability Registry", template: "%s · Capability Registry" },
  description: "Give AI agents new abilities, safely: capabilities, approvals and a tamper-evident audit log.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f6f6f8" },
    { media: "(prefers-color-scheme: dark)", color: "#0d0e11" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-dvh">
        {children}
        <ThemeWatcher />
      </body>
    </html>
  );
}
