// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default function About() {
  return <p>We write about databases.</p>;
}
