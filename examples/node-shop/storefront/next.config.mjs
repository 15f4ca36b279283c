/** @type {import('next').NextConfig} */
const nextConfig = {
  images: {
    // product photos come from the uploads bucket, which sends no Cache-Control header
    remotePatterns: [{ protocol: "https", hostname: "uploads.node-shop.example" }],
    minimumCacheTTL: 60,
  },
};

export default nextConfig;
