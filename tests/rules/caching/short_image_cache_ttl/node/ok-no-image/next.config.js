module.exports = {
  // ok: SC-CACHE-010 (no next/image import in this app)
  images: {
    domains: ["cdn.example.com"],
  },
};
