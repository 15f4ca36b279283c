module.exports = {
  images: {
    // ok: SC-CACHE-010 (not a next.config file)
    minimumCacheTTL: 60,
  },
};
