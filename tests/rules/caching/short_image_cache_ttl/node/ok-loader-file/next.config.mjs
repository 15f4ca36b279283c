export default {
  images: {
    loaderFile: "./image-loader.js",
    // ok: SC-CACHE-010 (a loaderFile alone means loader "custom")
    minimumCacheTTL: 60,
  },
};
