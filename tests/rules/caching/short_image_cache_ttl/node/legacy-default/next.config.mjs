/** @type {import('next').NextConfig} */
const nextConfig = {
  // ruleid: SC-CACHE-010 (low: the 60 s default of Next.js 14 with remote images; the hosts' headers are unknown)
  images: {
    remotePatterns: [{ protocol: "https", hostname: "cdn.example.com", pathname: "/uploads/**" }],
  },
};

export default nextConfig;
