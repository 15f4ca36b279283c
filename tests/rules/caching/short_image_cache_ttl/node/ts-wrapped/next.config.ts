import type { NextConfig } from "next";
import bundleAnalyzer from "@next/bundle-analyzer";

const withBundleAnalyzer = bundleAnalyzer({ enabled: process.env.ANALYZE === "true" });

const nextConfig: NextConfig = {
  images: {
    formats: ["image/avif", "image/webp"],
    // ruleid: SC-CACHE-010
    minimumCacheTTL: 0,
    unoptimized: false,
  },
} satisfies NextConfig;

export default withBundleAnalyzer(nextConfig);
