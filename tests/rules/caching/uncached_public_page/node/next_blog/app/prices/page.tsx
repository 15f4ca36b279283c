export default async function Prices() {
  // ok: SC-CACHE-009
  const res = await fetch("https://rates.example.com/v1/latest", { next: { revalidate: 300, tags: ["rates"] } });
  return <pre>{JSON.stringify(await res.json())}</pre>;
}
