import { router } from "../trpc";
import { checkoutRouter } from "./checkout";

export const appRouter = router({
  checkout: checkoutRouter,
});
