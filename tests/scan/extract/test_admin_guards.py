"""Admin checks at the top of a handler's body make its routes admin routes (AdminGuard)."""

from __future__ import annotations

from scalescope.model.facts import AdminGuard
from scalescope.scan.extract.base import extract_file


def _guards(text: str, path: str, language: str) -> list[tuple[str, str]]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return [(f.function_id, f.condition) for f in result.facts if isinstance(f, AdminGuard)]


def test_js_handler_refusing_non_admins() -> None:
    js = """\
export default async function worker(req, res) {
  const user = await verifyUser({ req, res });
  if (!user) return;
  if (user.id !== Number(process.env.ADMIN_ID || 1)) {
    return res.status(403).json({ response: "Forbidden." });
  }
  return res.json(await stats());
}
export async function profile(req, res) {
  if (!req.user) return res.status(401).end();
  if (req.user.role === "admin") console.log("an admin looks at a profile");
  return res.json(req.user);
}
class Controller {
  async purge(req) {
    if (!req.user.isAdmin) throw new ForbiddenException();
    return purge();
  }
}
"""
    assert _guards(js, "pages/api/worker.ts", "typescript") == [
        ("pages/api/worker.ts::worker@1", "(user.id !== Number(process.env.ADMIN_ID || 1))"),
        ("pages/api/worker.ts::Controller.purge@15", "(!req.user.isAdmin)"),
    ]  # a role test that refuses nobody is no guard


def test_python_handler_refusing_non_admins() -> None:
    py = """\
@bp.route("/stats")
def stats():
    \"\"\"Site statistics.\"\"\"
    if not current_user.is_admin:
        abort(403)
    return {}


def members(request):
    if not request.user.is_staff:
        raise PermissionDenied
    return {}


def other(user):
    if user.is_staff:
        return 1
"""
    assert _guards(py, "app/views.py", "python") == [
        ("app/views.py::stats@2", "not current_user.is_admin"),
        ("app/views.py::members@9", "not request.user.is_staff"),
    ]
