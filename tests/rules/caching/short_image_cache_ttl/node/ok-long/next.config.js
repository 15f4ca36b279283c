/** @type {import('next').NextConfig} */
module.exports = {
  images: {
    remotePatterns: [{ protocol: "https", hostname: "uploads.example.com" }],
    // ok: SC-CACHE-010 (30 days)
    minimumCacheTTL: 60 * 60 * 24 * 30,
  },
};
