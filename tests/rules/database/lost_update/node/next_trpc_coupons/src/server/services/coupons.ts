import { prisma } from "../db";

export async function redeemCoupon(code: string) {
  const coupon = await prisma.coupon.findUniqueOrThrow({ where: { code } });
  // ruleid: SC-DB-013
  await prisma.coupon.update({ where: { id: coupon.id }, data: { usedCount: coupon.usedCount + 1 } });
  return coupon;
}

export async function spendVoucher(id: number, amount: number) {
  const voucher = await prisma.voucher.findUniqueOrThrow({ where: { id } });
  // ruleid: SC-DB-013
  await prisma.voucher.update({ where: { id: voucher.id }, data: { balance: voucher.balance - amount } });
}

export async function redeemCouponAtomically(code: string) {
  // ok: SC-DB-013
  return prisma.coupon.update({ where: { code }, data: { usedCount: { increment: 1 } } });
}

export async function topUpVoucher(id: number, amount: number) {
  const voucher = await prisma.voucher.findUniqueOrThrow({ where: { id } });
  // ruleid: SC-DB-013 low
  await prisma.voucher.update({ where: { id: voucher.id }, data: { balance: voucher.balance + amount } });
}

export async function resetVoucher(id: number) {
  const voucher = await prisma.voucher.findUniqueOrThrow({ where: { id } });
  // ruleid: SC-DB-013 low
  await prisma.voucher.update({ where: { id: voucher.id }, data: { balance: voucher.balance - voucher.balance } });
}
