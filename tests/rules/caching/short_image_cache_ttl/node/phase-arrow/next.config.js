module.exports = (phase) => ({
  images: {
    // ruleid: SC-CACHE-010
    minimumCacheTTL: 60,
  },
});
