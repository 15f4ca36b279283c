import cron from "node-cron";
import { prisma } from "./db";

export function startJobs() {
  cron.schedule("0 3 * * *", purgeAuditLog);
}

async function purgeAuditLog() {
  const cutoff = new Date(Date.now() - 90 * 86_400_000);
  await prisma.auditLog.deleteMany({ where: { createdAt: { lt: cutoff } } });
}
