import { cachedPopular } from "../../lib/posts";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function Popular() {
  const posts = await cachedPopular();
  return <ol>{posts.map((p) => <li key={p.id}>{p.title}</li>)}</ol>;
}
