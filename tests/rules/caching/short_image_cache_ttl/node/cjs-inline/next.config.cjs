const withBundleAnalyzer = require("@next/bundle-analyzer")({ enabled: false });

module.exports = withBundleAnalyzer({
  images: {
    // ruleid: SC-CACHE-010
    minimumCacheTTL: 30 * 60, // half an hour: low severity, still re-made twice an hour
  },
});
