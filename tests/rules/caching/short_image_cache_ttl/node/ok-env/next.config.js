module.exports = {
  images: {
    // ok: SC-CACHE-010 (set at deploy time)
    minimumCacheTTL: Number(process.env.IMAGE_TTL ?? 60),
  },
};
