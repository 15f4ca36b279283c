import { prisma } from "../../src/db";

// The home page looks the same to every visitor, yet is rendered (and queried) on every view.
export const dynamic = "force-dynamic";

export default async function Home() {
  const latest = await prisma.product.findMany({ take: 12, select: { id: true, name: true, priceCents: true } });
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
