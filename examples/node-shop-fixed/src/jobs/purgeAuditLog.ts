import { prisma } from "../db";

const KEEP_DAYS = 90;

// The audit log is kept for 90 days: older rows are deleted once a day, by the indexed createdAt.
export async function purgeAuditLog() {
  const cutoff = new Date(Date.now() - KEEP_DAYS * 24 * 3600 * 1000);
  await prisma.auditLog.deleteMany({ where: { createdAt: { lt: cutoff } } });
}
