"""Request-method guards: the methods a call or a data access runs for (``Call.methods``,
``DataAccess.methods``) when a test of the request method decides it."""

from __future__ import annotations

from scalescope.model.facts import DataAccess, Function
from scalescope.scan.extract.base import extract_file


def _calls(path: str, language: str, text: str) -> dict[str, tuple[str, ...]]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    out: dict[str, tuple[str, ...]] = {}
    for fact in result.facts:
        if isinstance(fact, Function):
            for call in fact.calls:
                out[call.name] = call.methods
    return out


PY = """
def view(request, form):
    if request.method == "POST":
        on_post()
    elif request.method.upper() in ("PUT", "PATCH"):
        on_put()
    else:
        on_other()
    if request.method not in ["GET", "HEAD"] and ready:
        on_write()
    if form.validate_on_submit():
        on_submit()
    plain()
    x = on_get() if request.method == "GET" else on_else()
    request.method == "DELETE" and on_delete()
    match request.method:
        case "GET" | "HEAD":
            on_read_case()
        case _:
            on_rest_case()
    if ready:
        unrelated()
    if request.method == "GET":
        return render()
    after_get_return()
"""


def test_python_method_tests() -> None:
    calls = _calls("app/views.py", "python", PY)
    assert calls["on_post"] == ("POST",)
    assert calls["on_put"] == ("PATCH", "PUT")
    assert set(calls["on_other"]) == {"GET", "HEAD", "DELETE", "OPTIONS"}
    assert calls["on_write"] == ("DELETE", "OPTIONS", "PATCH", "POST", "PUT")
    assert calls["on_submit"] == ("DELETE", "PATCH", "POST", "PUT")
    assert calls["on_get"] == ("GET",)
    assert "GET" not in calls["on_else"]
    assert calls["on_delete"] == ("DELETE",)
    assert calls["on_read_case"] == ("GET", "HEAD")
    assert "GET" not in calls["on_rest_case"] and "POST" in calls["on_rest_case"]
    assert calls["after_get_return"] and "GET" not in calls["after_get_return"]
    # no method test: any method
    assert calls["plain"] == ()
    assert calls["unrelated"] == ()
    assert calls["render"] == ("GET",)


JS = """
export async function handler(req, res) {
  if (req.method === "POST") {
    onPost();
  } else if (req.method?.toUpperCase() === "PUT") {
    onPut();
  } else {
    onOther();
  }
  if (["POST", "PATCH"].includes(req.method)) onWrite();
  plain();
  const { method } = req;
  switch (method) {
    case "GET":
    case "HEAD":
      onRead();
      break;
    case "DELETE":
      onDelete();
    default:
      onDefault();
  }
  req.method !== "GET" && onNotGet();
  if (ready) unrelated();
  if (req.method !== "POST") return res.render("form");
  afterReturn();
}
"""


def test_js_method_tests() -> None:
    calls = _calls("src/handler.ts", "typescript", JS)
    assert calls["onPost"] == ("POST",)
    assert calls["onPut"] == ("PUT",)
    assert "POST" not in calls["onOther"] and "PUT" not in calls["onOther"]
    assert calls["onWrite"] == ("PATCH", "POST")
    assert calls["onRead"] == ("GET", "HEAD")
    assert calls["onDelete"] == ("DELETE",)
    assert calls["onDefault"] == ()  # default: any method (and DELETE falls through)
    assert "GET" not in calls["onNotGet"]
    assert calls["afterReturn"] == ("POST",)
    assert calls["plain"] == ()
    assert calls["unrelated"] == ()


def test_data_access_methods() -> None:
    py = extract_file(
        "app/views.py",
        "python",
        """from sqlalchemy import update
def view(request, session):
    if request.method != "POST":
        return {}
    session.execute(update(Payout).values(status="x"))
""",
    )
    writes = [f for f in py.facts if isinstance(f, DataAccess)]
    assert writes and all(w.methods == ("POST",) for w in writes)
    js = extract_file(
        "src/h.ts",
        "typescript",
        """import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
export async function h(req, res) {
  await prisma.audit.create({ data: {} });
  if (req.method === "POST") {
    await prisma.$transaction(async (tx) => {
      await tx.payout.update({ where: { id: 1 }, data: { status: "x" } });
    });
  }
}
""",
    )
    by_model = {f.model: f.methods for f in js.facts if isinstance(f, DataAccess)}
    assert by_model["audit"] == ()
    assert by_model["payout"] == ("POST",)  # in a callback written under the test
