const { PHASE_DEVELOPMENT_SERVER } = require("next/constants");

module.exports = (phase) => {
  if (phase === PHASE_DEVELOPMENT_SERVER) {
    // ok: SC-CACHE-010 (two configs, one per phase: which one serves is not shown here)
    return { images: { minimumCacheTTL: 0 } };
  }
  return { images: { minimumCacheTTL: 86400 } };
};
