import { withSentryConfig } from "@sentry/nextjs";

const nextConfig = {
  images: {
    loader: "default",
    // ruleid: SC-CACHE-010
    minimumCacheTTL: 120,
  },
};

export default async function config() {
  if (process.env.SKIP_ENV) return nextConfig;
  return process.env.SENTRY_DSN ? withSentryConfig(nextConfig, { org: "acme", silent: true }) : nextConfig;
}
