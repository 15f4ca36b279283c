module.exports = {
  // ok: SC-CACHE-010 (the range allows 16)
  images: {
    remotePatterns: [{ protocol: "https", hostname: "cdn.example.com" }],
  },
};
