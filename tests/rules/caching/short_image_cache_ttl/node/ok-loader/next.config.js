module.exports = {
  images: {
    loader: "cloudinary",
    path: "https://res.cloudinary.com/acme/image/upload/",
    // ok: SC-CACHE-010 (a third-party loader: Cloudinary optimizes, not Next.js)
    minimumCacheTTL: 60,
  },
};
