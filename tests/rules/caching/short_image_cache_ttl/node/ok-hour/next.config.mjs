const ONE_HOUR = 3600;
const nextConfig = {
  images: {
    // ok: SC-CACHE-010 (an hour is the threshold)
    minimumCacheTTL: ONE_HOUR,
  },
};
export default nextConfig;
