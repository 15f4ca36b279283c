import { unstable_cache } from "next/cache";
import { prisma } from "../../src/db";

// Rendered once a minute at most, whatever the traffic; product writes call revalidateTag("products").
export const revalidate = 60;

const latestProducts = unstable_cache(
  async () => prisma.product.findMany({ take: 12, select: { id: true, name: true, priceCents: true } }),
  ["latest-products"],
  { revalidate: 60, tags: ["products"] },
);

export default async function Home() {
  const latest = await latestProducts();
  return (
    <ul>
      {latest.map((p) => (
        <li key={p.id}>
          {p.name}: {(p.priceCents / 100).toFixed(2)}
        </li>
      ))}
    </ul>
  );
}
