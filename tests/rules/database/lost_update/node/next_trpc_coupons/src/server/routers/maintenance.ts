import { z } from "zod";
import { router, publicProcedure } from "../trpc";
import { resetVoucher } from "../services/coupons";

// placed in no router an adapter serves
export const maintenanceRouter = router({
  reset: publicProcedure.input(z.object({ id: z.number() })).mutation(async ({ input }) => resetVoucher(input.id)),
});
