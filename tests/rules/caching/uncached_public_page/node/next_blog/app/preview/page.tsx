import { draftMode } from "next/headers";
import { prisma } from "../../lib/prisma";

// ok: SC-CACHE-009
export const revalidate = 0;

export default async function Preview() {
  const { isEnabled } = await draftMode();
  const page = await prisma.page.findFirst({ where: { slug: "home", draft: isEnabled } });
  return <main>{page?.body}</main>;
}
