"""What a count's value feeds (``DataAccess.count_use``, SC-DB-017) and what serialises it
(``count_guard``), for Node and Python."""

from __future__ import annotations

from scalescope.model.facts import DataAccess
from scalescope.scan.extract.base import extract_file


def _counts(path: str, language: str, text: str) -> dict[int, DataAccess]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return {f.loc.line: f for f in result.facts if isinstance(f, DataAccess) and f.kind == "count"}


NODE = """import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function a(max: number) {
  const n = await prisma.invoice.count();
  if ((await prisma.project.count()) >= max) throw new Error("limit");
  const open = await prisma.invoice.count({ where: { status: "open" } });
  const any = (await prisma.invoice.count()) > 0;
  const listed = await prisma.invoice.count();
  const done = fetched.length >= listed;
  const [{ total }] = await prisma.invoice.count();
  console.log(total);
  return { number: `INV-${n + 1}`, open, any, done };
}
export async function b() {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(1)`;
    const taken = await tx.seat.count({ where: { eventId: 1 } });
    return taken < 10;
  });
}
"""


def test_node_count_use() -> None:
    got = _counts("src/a.ts", "typescript", NODE)
    assert got[4].count_use == "identifier"
    assert got[5].count_use == "limit"
    assert got[6].count_use == "returned"
    assert got[7].count_use == ""  # an existence test
    assert got[8].count_use == ""  # compared with the size of a list in memory
    assert got[10].count_use == ""  # only logged
    assert got[4].count_guard == "" and got[5].count_guard == ""
    assert got[17].count_use == "limit" and got[17].count_guard == "lock"


PYTHON = """from django.db import transaction
from django.http import JsonResponse
from .models import Case, Team


def a(request, team_id):
    n = Case.objects.count()
    ref = f"CASE-{n + 1:06d}"
    if Case.objects.filter(status="open").count() >= 10:
        return None
    if Case.objects.filter(status="x").count() == 0:
        return None
    done = len(request.items) >= Case.objects.filter(status="y").count()
    return JsonResponse({"open": Case.objects.filter(status="open").count(), "ref": ref})


def b(request, team_id):
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team_id)
        if Case.objects.filter(team=team).count() >= team.limit:
            return None
"""


def test_python_count_use() -> None:
    got = _counts("app/views.py", "python", PYTHON)
    assert got[7].count_use == "identifier"
    assert got[9].count_use == "limit"
    assert got[11].count_use == ""
    assert got[13].count_use == ""
    assert got[14].count_use == "returned"
    assert got[9].count_guard == ""
    assert got[20].count_use == "limit" and got[20].count_guard == "lock"
