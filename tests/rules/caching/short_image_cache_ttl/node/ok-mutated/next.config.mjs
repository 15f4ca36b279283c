const nextConfig = {
  images: {
    // ok: SC-CACHE-010 (replaced below)
    minimumCacheTTL: 60,
  },
};
nextConfig.images.minimumCacheTTL = 86400;
export default nextConfig;
