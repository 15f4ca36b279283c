const withPlugins = require("next-compose-plugins");
const withTM = require("next-transpile-modules")(["ui"]);

const images = {
  domains: ["images.example.com"],
  // ruleid: SC-CACHE-010
  minimumCacheTTL: 60,
};

const nextConfig = { images, poweredByHeader: false };

module.exports = withPlugins([[withTM]], nextConfig);
