/** @type {import('next').NextConfig} */
module.exports = {
  reactStrictMode: true,
  images: {
    remotePatterns: [{ protocol: "https", hostname: "uploads.example.com" }],
    // ruleid: SC-CACHE-010
    minimumCacheTTL: 60,
  },
};
