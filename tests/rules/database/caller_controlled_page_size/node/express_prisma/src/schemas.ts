import { z } from "zod";

// the products listing declares how many rows a page may hold
export const ProductQuery = z.object({
  category: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

// the reviews listing validates its page size but sets no upper bound
export const ReviewQuery = z.object({
  productId: z.string(),
  pageSize: z.coerce.number().int().positive().default(20),
});
