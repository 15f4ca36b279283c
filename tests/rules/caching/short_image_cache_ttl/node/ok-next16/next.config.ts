import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // ok: SC-CACHE-010 (Next.js 16 defaults to 4 hours)
  images: {
    remotePatterns: [{ protocol: "https", hostname: "cdn.example.com" }],
  },
};

export default nextConfig;
