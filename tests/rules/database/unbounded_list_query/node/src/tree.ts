import { Router } from "express";
import { Prisma, PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
export const tree = Router();

tree.get("/collections/:id/parents", async (req, res) => {
  // the recursive CTE starts from one row: bounded by the depth of the tree
  // ok: SC-DB-004
  const query = Prisma.sql`
    WITH RECURSIVE parents AS (
      SELECT c.id, c."parentId" FROM "Collection" AS c WHERE c.id = ${req.params.id}
      UNION ALL
      SELECT p.id, p."parentId" FROM "Collection" AS p JOIN parents AS t ON p.id = t."parentId"
    )
    SELECT * FROM parents;
  `;
  res.json(await prisma.$queryRaw(query));
});

tree.get("/collections/dump", async (req, res) => {
  // ruleid: SC-DB-004
  const query = Prisma.sql`
    WITH everything AS (SELECT c.id, c.title FROM "Collection" AS c)
    SELECT * FROM everything;
  `;
  res.json(await prisma.$queryRaw(query));
});
