const nextConfig = {
  images: {
    remotePatterns: [{ protocol: "https", hostname: "cdn.example.com" }],
    // ok: SC-CACHE-010
    minimumCacheTTL: 14400,
  },
};
export default nextConfig;
