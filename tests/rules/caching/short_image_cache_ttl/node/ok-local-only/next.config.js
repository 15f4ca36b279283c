module.exports = {
  // ok: SC-CACHE-010 (no remote images allowed)
  images: {
    remotePatterns: [],
    formats: ["image/webp"],
  },
};
