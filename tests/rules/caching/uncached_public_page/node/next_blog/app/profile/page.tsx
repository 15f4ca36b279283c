import { supabase } from "../../lib/supabase";
import { prisma } from "../../lib/prisma";

// ok: SC-CACHE-009
export const dynamic = "force-dynamic";

export default async function Profile() {
  const { data } = await supabase.auth.getUser();
  const prefs = await prisma.preference.findFirst({ where: { userId: data.user?.id } });
  return <div>{prefs?.theme}</div>;
}
