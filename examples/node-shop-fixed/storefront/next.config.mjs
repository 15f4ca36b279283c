/** @type {import('next').NextConfig} */
const nextConfig = {
  images: {
    // product photos come from the uploads bucket, which sends no Cache-Control header:
    // keep each optimized size for 4 hours (the Next.js 16 default) instead of one minute
    remotePatterns: [{ protocol: "https", hostname: "uploads.node-shop.example" }],
    minimumCacheTTL: 14400,
  },
};

export default nextConfig;
