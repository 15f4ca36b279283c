import { z } from "zod";

export const orderSchema = z.object({
  note: z.string().max(500),
  lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })).min(1).max(20),
});
