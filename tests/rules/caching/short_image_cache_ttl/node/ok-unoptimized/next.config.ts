import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  images: {
    unoptimized: true,
    // ok: SC-CACHE-010 (the optimizer never runs)
    minimumCacheTTL: 60,
  },
};

export default nextConfig;
