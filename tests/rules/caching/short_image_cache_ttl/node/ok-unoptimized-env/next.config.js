module.exports = {
  images: {
    unoptimized: process.env.STATIC_BUILD === "1",
    // ok: SC-CACHE-010 (whether the optimizer runs is decided at build time)
    minimumCacheTTL: 60,
  },
};
