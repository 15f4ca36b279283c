// a one-off script kept in the tree: nothing imports it and no entry point runs it
export const ORDER_INDEXES = [
  // ruleid: SC-DB-016 low
  `CREATE INDEX "Order_placedAt_idx" ON "Order"("placedAt")`,
  // created by a migration already
  // ok: SC-DB-016
  `CREATE INDEX "Order_customerId_placedAt_idx" ON "Order"("customerId", "placedAt")`,
];
