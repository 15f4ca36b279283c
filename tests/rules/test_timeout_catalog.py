"""SC-DB-002 on a client whose queries only read catalog tables (issue 8, items 6 and 10).

A Next.js site whose only table is seeded by ``prisma/seed.ts`` and read by its pages and
route handlers: a few hundred rows, read-only; nothing there can run long or wait on a lock the
application takes. The finding is low, saying so, and its primary place is the server's
client, not the seed script's. A route that inserts into the table makes it grow: the finding
keeps its confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")

_SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model School {
  id   Int    @id @default(autoincrement())
  stub String @unique
  name String
}
"""

_SEED = """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

async function main() {
  for (const name of ["Lincoln", "Mission"]) {
    await prisma.school.create({ data: { stub: name.toLowerCase(), name } });
  }
}

main();
"""

_CLIENT = """import { PrismaClient } from "@prisma/client";

export const prisma = new PrismaClient();
"""

_SEARCH = """import { prisma } from "../../../lib/prisma";

export async function GET(request: Request) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const schools = await prisma.school.findMany({ where: { name: { contains: q } } });
  return Response.json(schools);
}
"""

_PAGE = """import { prisma } from "../../../lib/prisma";

export default async function Page({ params }: { params: { stub: string } }) {
  const school = await prisma.school.findUnique({ where: { stub: params.stub } });
  return <h1>{school?.name}</h1>;
}
"""

_CREATE = """import { prisma } from "../../../lib/prisma";

export async function POST(request: Request) {
  const body = await request.json();
  return Response.json(await prisma.school.create({ data: { stub: body.stub, name: body.name } }));
}
"""


@pytest.mark.parametrize("grows", [False, True])
def test_a_client_that_only_reads_seeded_tables_is_low(tmp_path: Path, grows: bool) -> None:
    files = {
        "package.json": (
            '{"name": "site", "scripts": {"start": "next start"}, '
            '"prisma": {"seed": "ts-node prisma/seed.ts"}, '
            '"dependencies": {"next": "14.2.0", "@prisma/client": "5.0.0"}}'
        ),
        "prisma/schema.prisma": _SCHEMA,
        "prisma/seed.ts": _SEED,
        "src/lib/prisma.ts": _CLIENT,
        "src/app/api/search/route.ts": _SEARCH,
        "src/app/school/[stub]/page.tsx": _PAGE,
    }
    if grows:
        files["src/app/api/schools/route.ts"] = _CREATE
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert (finding.file, finding.line) == ("src/lib/prisma.ts", 3)
    assert (finding.confidence == "low") is not grows, finding.message
    assert ("the code only reads through it, and only `school`" in finding.message) is not grows
