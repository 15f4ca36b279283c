import base from "../shared/next.base.mjs";

const nextConfig = {
  ...base,
  images: {
    // ok: SC-CACHE-010 (the spread may turn the optimizer off; not knowable here)
    minimumCacheTTL: 60,
  },
};
export default nextConfig;
