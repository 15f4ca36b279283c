const nextConfig = {
  output: "export",
  images: {
    // ok: SC-CACHE-010 (a static export has no image optimizer)
    minimumCacheTTL: 60,
  },
};
export default nextConfig;
