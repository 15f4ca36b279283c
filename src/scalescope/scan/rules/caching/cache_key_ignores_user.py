"""SC-CACHE-008 cache-key-ignores-user."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from scalescope.model.facts import CachedRoute, CacheOp, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import response_cache_fix, user_key_fix
from scalescope.scan.rules.caching._helpers import (
    KEY_USER_RE,
    USER_RE,
    function_text,
    short_fn,
    without_strings,
)

_IDENT = re.compile(r"[A-Za-z_$][\w$]*")


class CacheKeyIgnoresUser(Rule):
    """A cached response or entry of user-specific data under a key shared by all users.

    ## What it finds
    Response caches (``@cache_page``, Nest ``CacheInterceptor``, apicache, Flask-Caching
    ``@cache.cached``, fastapi-cache ``@cache``) on handlers that read the current user
    (``req.user``, ``request.user``, ``current_user``, an ``Authorization`` header, the session)
    while the cache key does not vary on the user (no ``vary_on_cookie``/``vary_on_headers``,
    no user in the key); and cache writes whose value is built from the current user but
    whose key holds no user part. Public routes with a static key are not reported. A handler
    that reads the user only as an argument of an access check (``get_visible_or_404(
    request.user, ...)``, ``check_permission(request.user, doc)``) serves the same body to
    everyone allowed to see it: reported at low, since a cached answer still reaches users the
    check would refuse until it expires.

    ## Why it matters at scale
    The first user to hit the endpoint fills the cache and every later user receives that
    user's response: private data leaks across accounts, and the leak grows with traffic
    because the cache is what makes the endpoint fast.

    ## Example
    ```python
    @cache_page(60)
    def dashboard(request):
        return render(request, "dash.html", {"orders": request.user.orders.all()})
    ```

    ## Use instead
    ```python
    @cache_page(60)
    @vary_on_cookie
    def dashboard(request): ...
    ```
    ```ts
    await redis.set(`dashboard:${req.user.id}`, json, "EX", 60);  // user in the key
    ```
    For Nest, extend ``CacheInterceptor`` and override ``trackBy`` to include the user id.
    """

    meta = RuleMeta(
        id="SC-CACHE-008",
        name="cache-key-ignores-user",
        category="caching",
        severity="critical",
        title="Cache key ignores the user for user-specific data",
        effort="hours",
        scope="line",
        confidence="medium",
        impact="One user's private response is served to every other user.",
        ecosystems=("node", "python"),
        references=(
            "https://docs.djangoproject.com/en/stable/topics/cache/#using-vary-headers",
            "https://docs.nestjs.com/techniques/caching#adjust-tracking",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        routes_by_file: dict[str, list[Route]] = defaultdict(list)
        for route in model.routes:
            routes_by_file[route.loc.file].append(route)
        for cached in model.all(CachedRoute):
            if cached.varies_on_user is not False:
                continue
            fid = cached.function_id
            if fid is None and cached.route_loc is not None:
                found: Route | None = next(
                    (
                        r
                        for r in routes_by_file.get(cached.route_loc.file, ())
                        if cached.route_loc.line <= r.loc.line <= cached.route_loc.end_line
                    ),
                    None,
                )
                handler = model.resolve_handler(found) if found is not None else None
                fid = handler.id if handler is not None else None
            text = without_strings(function_text(model, fid))
            m = USER_RE.search(text)
            if m is None:
                continue
            python = cached.loc.file.endswith(".py")
            fix = response_cache_fix(cached.mechanism, short_fn(fid), python)
            gate = _access_gate(text)
            if gate:
                # the user only decides whether the handler answers (a permission check, a
                # ``get_visible_or_404(request.user, ...)`` lookup): the body is the same for
                # everyone it is shown to, but one permitted user's answer is cached for all
                yield self.hit(
                    cached.loc,
                    message=f"{cached.mechanism} caches {short_fn(fid, model)} under a key that does not "
                    f"vary on the user (key: {cached.key or 'the URL'}); the handler reads "
                    f"'{m.group(0)}' only to decide access (`{gate}(...)`): the response is the same "
                    "for every user allowed to see it, but a cached answer reaches users the check "
                    "would have refused until it expires. Low confidence: whether that matters "
                    "depends on what the check protects.",
                    recommendation=fix.advice,
                    fix_snippet=fix.snippet,
                    fix_language=fix.language,
                    severity="medium",
                    confidence="low",
                )
                continue
            yield self.hit(
                cached.loc,
                message=f"{cached.mechanism} caches {short_fn(fid, model)} under a key that does not vary "
                f"on the user "
                f"(key: {cached.key or 'the URL'}), but the handler reads '{m.group(0)}': one user's "
                "response is served to everyone.",
                recommendation=fix.advice,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
            )
        yield from self._ops(model)

    @staticmethod
    def _key_source(model: ProjectModel, op: CacheOp) -> str | None:
        """The key expression, following a plain variable to its assignment in the same
        function (``cache_key = prefix + ":" + sub``). ``None`` when a variable key cannot be
        traced: an unknown key proves nothing either way."""
        if not _IDENT.fullmatch(op.key):
            return op.key
        text = function_text(model, op.function_id, end=op.loc.line)
        found = None
        for m in re.finditer(
            rf"(?m)^\s*(?:(?:const|let|var)\s+)?{re.escape(op.key)}\s*(?::[^=\n]+)?=(?!=)\s*(.+)$", text
        ):
            found = m.group(1)
        return found

    def _ops(self, model: ProjectModel) -> Iterator[Hit]:
        for op in model.all(CacheOp):
            if op.op != "set" or not op.key:
                continue
            key = self._key_source(model, op)
            if key is None or KEY_USER_RE.search(key):
                continue
            source = self._value_source(model, op)
            m = USER_RE.search(source)
            if m is None:
                continue
            python = op.loc.file.endswith(".py")
            fix = user_key_fix(op.key, python)
            yield self.hit(
                op.loc,
                message=f"{op.client}.{op.command}({op.key}, ...) in {short_fn(op.function_id, model)} "
                f"stores data built "
                f"from '{m.group(0)}' under a key with no user part: every user reads the first "
                "user's data.",
                recommendation=fix.advice,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
            )

    @staticmethod
    def _value_source(model: ProjectModel, op: CacheOp) -> str:
        value = op.value.strip()
        if not value:
            return ""
        if USER_RE.search(value):
            return value
        ident = re.match(
            r"^(?:JSON\.stringify\(|json\.dumps\(|pickle\.dumps\()?\s*([A-Za-z_$][\w$]*)\s*\)?$", value
        )
        if ident is None:
            return value
        name = re.escape(ident.group(1))
        text = function_text(model, op.function_id, end=op.loc.line)
        assigned = [
            ln
            for ln in text.splitlines()
            if re.search(rf"(?:\b(?:const|let|var)\s+)?\b{name}\s*(?::[^=]*)?=[^=]", ln)
        ]
        return "\n".join(assigned)


#: calls whose name says they decide access: Django's ``*_or_404`` lookups, permission checks
_GATE = re.compile(
    r"(?:_or_40[34]|^(?:check|ensure|require|assert|verify)_\w*|permission|^has_perm|^can_|authori[sz]e)",
    re.IGNORECASE,
)
_CALL_BEFORE = re.compile(r"([A-Za-z_][\w.]*)\(\s*(?:[^()]*,\s*)?$")


def _access_gate(text: str) -> str:
    """The access-check call every read of the user in ``text`` is an argument of
    (``get_visible_document_or_404(request.user, ...)``, ``check_permission(request.user,
    doc)``); ``""`` when some read of the user is used any other way."""
    gates: set[str] = set()
    for m in USER_RE.finditer(text):
        call = _CALL_BEFORE.search(text[max(0, m.start() - 160) : m.start()])
        name = call.group(1).rsplit(".", 1)[-1] if call else ""
        after = text[m.end() : m.end() + 1]
        if not name or not _GATE.search(name) or after in {".", "["}:
            return ""  # ``request.user.orders``: the user shapes the response
        gates.add(name)
    return sorted(gates)[0] if gates else ""
