import { prisma } from "../../../lib/prisma";

// ruleid: SC-CACHE-009
export const revalidate = 0;

export default async function PostPage({ params }: { params: { slug: string } }) {
  const post = await prisma.post.findUnique({ where: { slug: params.slug } });
  return <article>{post?.body}</article>;
}
