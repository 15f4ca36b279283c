import { headers } from "next/headers";

export default async function Status() {
  const h = await headers();
  // ok: SC-CACHE-009
  const res = await fetch("https://status.example.com/api", { cache: "no-store" });
  return <p>{h.get("x-region")}: {res.status}</p>;
}
