import { PrismaClient } from "@prisma/client";
import axios from "axios";
import fs from "fs";

const prisma = new PrismaClient();

// A promise nobody awaits does not keep the transaction open: the callback returns, and the
// transaction commits, without waiting for it.
export async function unfollow(siteUrl: string, accountId: number) {
  return await prisma.$transaction(async (tx) => {
    await tx.follow.deleteMany({ where: { siteUrl, accountId } });
    // ruleid: SC-DB-008
    const info = await axios.get(siteUrl + "/api/site-info", { timeout: 5000 });
    // ok: SC-DB-008
    axios.post(siteUrl + "/api/unfollow-from", { id: info.data.id }, { timeout: 5000 })
      .catch((err) => console.error("notify failed", err));
    // ok: SC-DB-008
    void fetch(siteUrl + "/api/ping", { signal: AbortSignal.timeout(2000) });
    // ok: SC-DB-008
    const forgotten = fetch(siteUrl + "/api/audit", { signal: AbortSignal.timeout(2000) });
    // ok: SC-DB-008
    Promise.allSettled([fetch(siteUrl + "/api/a", { signal: AbortSignal.timeout(2000) })]);
    return true;
  });
}

// Awaited, returned, or kept and awaited later: the transaction waits for them.
export async function follow(siteUrl: string, accountId: number) {
  return prisma.$transaction(async (tx) => {
    await tx.follow.create({ data: { siteUrl, accountId } });
    // ruleid: SC-DB-008
    await axios.post(siteUrl + "/api/follow-from", { accountId }, { timeout: 5000 }).catch(() => null);
    // ruleid: SC-DB-008
    const pending = fetch(siteUrl + "/api/site-info", { signal: AbortSignal.timeout(2000) });
    await Promise.all([
      // ruleid: SC-DB-008
      fetch(siteUrl + "/api/a", { signal: AbortSignal.timeout(2000) }),
      pending,
    ]);
    // a blocking call holds it whatever is done with its result
    // ruleid: SC-DB-008
    fs.readFileSync("/etc/hostname");
    // ruleid: SC-DB-008
    return fetch(siteUrl + "/api/done", { signal: AbortSignal.timeout(2000) });
  });
}
