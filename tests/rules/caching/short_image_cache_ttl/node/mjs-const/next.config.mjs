const FIVE_MINUTES = 5 * 60;

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  images: {
    domains: ["avatars.example.com"],
    // ruleid: SC-CACHE-010
    minimumCacheTTL: FIVE_MINUTES,
  },
};

export default nextConfig;
