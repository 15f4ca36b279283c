import { prisma } from "../db";

// the route handler passes the query string's value straight in
export async function listInvoices(customerId: string, perPage: number) {
  // ruleid: SC-DB-012
  return prisma.invoice.findMany({ where: { customerId }, take: perPage, orderBy: { id: "desc" } });
}

// every caller passes a constant
export async function listPayments(customerId: string, size: number) {
  // ok: SC-DB-012
  return prisma.payment.findMany({ where: { customerId }, take: size, orderBy: { id: "desc" } });
}
