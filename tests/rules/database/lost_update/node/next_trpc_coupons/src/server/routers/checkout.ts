import { z } from "zod";
import { router, publicProcedure, adminProcedure } from "../trpc";
import { redeemCoupon, redeemCouponAtomically, spendVoucher, topUpVoucher } from "../services/coupons";

export const checkoutRouter = router({
  confirm: publicProcedure
    .input(z.object({ code: z.string() }))
    .mutation(async ({ input }) => redeemCoupon(input.code)),
  confirmAtomic: publicProcedure
    .input(z.object({ code: z.string() }))
    .mutation(async ({ input }) => redeemCouponAtomically(input.code)),
  pay: publicProcedure
    .input(z.object({ voucherId: z.number(), amount: z.number() }))
    .mutation(async ({ input }) => spendVoucher(input.voucherId, input.amount)),
  // only admins top vouchers up: the race is rare
  topUp: adminProcedure
    .input(z.object({ id: z.number(), amount: z.number() }))
    .mutation(async ({ input }) => topUpVoucher(input.id, input.amount)),
});
