import { listPosts } from "../../lib/posts";

// ruleid: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function BlogPage() {
  const posts = await listPosts();
  return <ul>{posts.map((p) => <li key={p.id}>{p.title}</li>)}</ul>;
}
