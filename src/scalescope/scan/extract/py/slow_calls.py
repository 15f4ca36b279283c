"""SlowCall facts for Python: outbound HTTP (requests, httpx, urllib, aiohttp, boto3 S3),
email (smtplib, Django mail, Flask-Mail), sleeps, child processes, image (Pillow) and PDF
(WeasyPrint, ReportLab, pdfkit, xhtml2pdf) work and synchronous password hashing, with their
loop, function and transaction context.

Calls are recognised by module-qualified names or names imported from the right module
(``requests.get``, ``from time import sleep``), or by a receiver bound in the file to a client
(``client = httpx.Client(timeout=5)`` ... ``client.get(url)``); a bare ``get`` never counts.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import SlowCall
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    dotted,
    enclosing_function_id,
    iter_calls,
    kwargs,
    line_start_matches,
    unwrap,
)
from scalescope.scan.extract.py.data_common import in_transaction, loop_context

NEEDS = (
    "requests",
    "httpx",
    "urllib",
    "urlopen",
    "aiohttp",
    "smtplib",
    "send_mail",
    "mail",
    "sleep",
    "subprocess",
    "os.system",
    "PIL",
    "weasyprint",
    "reportlab",
    "pdfkit",
    "xhtml2pdf",
    "boto3",
    "bcrypt",
    "make_password",
)

_HTTP_VERBS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", "send"}
)
_HTTP_MODULES = frozenset({"requests", "httpx"})
_CLIENT_CTORS = {
    ("httpx", "Client"): "httpx",
    ("httpx", "AsyncClient"): "httpx",
    ("requests", "Session"): "requests",
    ("requests", "session"): "requests",
    ("aiohttp", "ClientSession"): "aiohttp",
}
_SUBPROCESS = frozenset(
    {"run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput"}
)
_S3_METHODS = frozenset(
    {"upload_file", "upload_fileobj", "put_object", "download_file", "download_fileobj", "copy_object"}
)
_MAIL_FUNCS = frozenset({"send_mail", "send_mass_mail", "mail_admins", "mail_managers"})
_MAIL_CLASSES = frozenset({"EmailMessage", "EmailMultiAlternatives", "Message"})
_IMPORT = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?([^)\n]+)", re.MULTILINE)


def _imported(ctx: FileContext) -> dict[str, str]:
    """``local name -> module`` for ``from module import name [as local]`` lines."""
    cached = ctx.cache.get("py.slow.imports")
    if cached is None:
        cached = {}
        for m in line_start_matches(_IMPORT, "from", ctx.text):
            for item in m.group(2).split(","):
                bits = item.strip().split(" as ")
                name = bits[0].strip()
                local = bits[-1].strip()
                if local.isidentifier():
                    cached[local] = f"{m.group(1)}.{name}"
        ctx.cache["py.slow.imports"] = cached
    return cached


def _qualified(ctx: FileContext, parts: tuple[str, ...]) -> tuple[str, ...]:
    """Expand an imported first name: ``sleep`` -> ``time.sleep``."""
    if not parts:
        return parts
    module = _imported(ctx).get(parts[0])
    if module is None:
        return parts
    return tuple(module.split(".")) + parts[1:]


def _clients(ctx: FileContext) -> dict[str, tuple[str, bool]]:
    """Receivers bound to HTTP clients in this file: ``text -> (library, has_timeout)``."""
    cached = ctx.cache.get("py.slow.clients")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    cached = {}
    if ctx.has_any("Client", "Session", "session"):
        found = captures(
            "python",
            "(assignment left: (_) @l right: (call) @r) (as_pattern (call) @r alias: (as_pattern_target) @l)",
            ctx.root,
        )
        lefts, rights = found.get("l", []), found.get("r", [])
        pairs: list[tuple[ts.Node, ts.Node]] = []
        for right in rights:
            parent = right.parent
            if parent is None:
                continue
            left = parent.child_by_field_name("left") if parent.type == "assignment" else None
            if left is None:
                left = next((n for n in lefts if n.parent == parent), None)
            if left is not None:
                pairs.append((left, right))
        for left, right in pairs:
            parts = _qualified(ctx, callee_parts(ctx, right))
            lib = _CLIENT_CTORS.get((parts[-2], parts[-1])) if len(parts) >= 2 else None
            if lib is None:
                continue
            timeout = "timeout" in kwargs(ctx, right) or lib == "httpx"  # httpx defaults to 5 s
            cached[ctx.node_text(left).strip()] = (lib, timeout)
    ctx.cache["py.slow.clients"] = cached
    return cached


def _literal_seconds(ctx: FileContext, node: ts.Node | None) -> float | None:
    node = unwrap(node)
    if node is None or node.type not in {"integer", "float"}:
        return None
    try:
        return float(ctx.node_text(node).replace("_", ""))
    except ValueError:
        return None


_NAMES = (
    _HTTP_VERBS
    | _SUBPROCESS
    | _S3_METHODS
    | _MAIL_FUNCS
    | {"urlopen", "sleep", "system", "popen", "create_subprocess_exec", "create_subprocess_shell"}
    | {"SMTP", "SMTP_SSL", "sendmail", "send_message", "send", "open", "new", "fromarray", "frombytes"}
    | {"write_pdf", "CreatePDF", "Canvas", "SimpleDocTemplate", "hashpw", "checkpw", "make_password"}
    | {"check_password", "from_string", "from_url", "from_file"}
)


def classify(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> tuple[str, str, bool | None] | None:
    """``(kind, target, has_timeout)`` for a slow call, else None."""
    if parts[-1] not in _NAMES and parts[0] != "ImageOps":
        return None
    q = _qualified(ctx, parts)
    if not q or any(p in {"()", "[]", "?"} for p in q[:-1]):
        return _method_on_call(ctx, call, parts)
    name = q[-1]
    head = q[0]
    target = ".".join(parts)
    kw = kwargs(ctx, call)
    if head in _HTTP_MODULES and len(q) == 2 and name in _HTTP_VERBS:
        timeout = "timeout" in kw or head == "httpx"
        return "http", target, timeout
    if (q[:2] == ("urllib", "request") and name == "urlopen") or (q == ("urlopen",) and "urllib" in ctx.text):
        return "http", target, "timeout" in kw or len(arguments(call)) >= 3
    if len(parts) >= 2 and name in _HTTP_VERBS:
        recv = ".".join(parts[:-1])
        client = _clients(ctx).get(recv)
        if client is not None:
            return "http", target, "timeout" in kw or client[1]
    if q == ("time", "sleep"):
        seconds = _literal_seconds(ctx, arguments(call)[0] if arguments(call) else None)
        return ("sleep", target, None) if seconds is None or seconds > 0 else None
    if q == ("asyncio", "sleep"):
        seconds = _literal_seconds(ctx, arguments(call)[0] if arguments(call) else None)
        return ("sleep", target, None) if seconds is not None and seconds > 0.5 else None
    if (head == "subprocess" and name in _SUBPROCESS) or q in {("os", "system"), ("os", "popen")}:
        return "subprocess", target, "timeout" in kw
    if head == "asyncio" and name in {"create_subprocess_exec", "create_subprocess_shell"}:
        return "subprocess", target, None
    if head == "smtplib" and name in {"SMTP", "SMTP_SSL"}:
        return "email", target, "timeout" in kw
    if name in _MAIL_FUNCS and (
        head == "django" or (len(q) == 1 and name in {"send_mail", "send_mass_mail"})
    ):
        return "email", target, None
    if len(parts) >= 2 and name in {"sendmail", "send_message"}:
        return "email", target, None
    pil = head == "PIL" or (parts[0] in {"Image", "ImageOps"} and "PIL" in ctx.text)
    if pil and (name in {"open", "new", "fromarray", "frombytes"} or parts[0] == "ImageOps"):
        return "image", target, None
    if name == "write_pdf" or (head == "pdfkit" and name.startswith("from_")):
        return "pdf", target, None
    if (head == "xhtml2pdf" and name == "CreatePDF") or q[-2:] == ("pisa", "CreatePDF"):
        return "pdf", target, None
    if head == "reportlab" and name in {"Canvas", "SimpleDocTemplate"}:
        return "pdf", target, None
    if name in _S3_METHODS and len(parts) >= 2 and "boto" in ctx.text:
        return "http", target, None
    if q in {("bcrypt", "hashpw"), ("bcrypt", "checkpw")} or (
        name in {"make_password", "check_password"} and ("django" in q or len(q) == 1)
    ):
        return "crypto", target, None
    return None


def _method_on_call(
    ctx: FileContext, call: ts.Node, parts: tuple[str, ...]
) -> tuple[str, str, bool | None] | None:
    """``EmailMessage(...).send()``, ``HTML(string=s).write_pdf()``, ``aiohttp.ClientSession().get``."""
    if not parts:
        return None
    name = parts[-1]
    fn = unwrap(call.child_by_field_name("function"))
    obj = unwrap(fn.child_by_field_name("object")) if fn is not None and fn.type == "attribute" else None
    if obj is None or obj.type != "call":
        return None
    inner = _qualified(ctx, callee_parts(ctx, obj))
    if name == "send" and inner and inner[-1] in _MAIL_CLASSES and ("mail" in inner or len(inner) == 1):
        return "email", ".".join(dotted(ctx, obj.child_by_field_name("function"))) + ".send", None
    if name == "write_pdf":
        return "pdf", "write_pdf", None
    return None


def _mail_objects(ctx: FileContext) -> set[str]:
    """Names bound to ``EmailMessage(...)``/``EmailMultiAlternatives(...)`` in the file."""
    cached = ctx.cache.get("py.slow.mail")
    if cached is None:
        cached = set(
            re.findall(r"\b(\w+)\s*=\s*(?:mail\.)?(?:EmailMessage|EmailMultiAlternatives)\(", ctx.text)
        )
        ctx.cache["py.slow.mail"] = cached
    return cached


@extractor(languages=("python",), needs=NEEDS)
def slow_calls(ctx: FileContext) -> None:
    """Emit a :class:`SlowCall` for each recognised slow call."""
    mail_objects = _mail_objects(ctx) if "Email" in ctx.text else set()
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        found = classify(ctx, call, parts)
        if found is None and len(parts) == 2 and parts[1] == "send" and parts[0] in mail_objects:
            found = ("email", ".".join(parts), None)
        if found is None:
            continue
        kind, target, timeout = found
        ctx.emit(
            SlowCall(
                ctx.loc(call),
                kind=kind,
                target=target,
                function_id=enclosing_function_id(ctx, call),
                in_transaction=in_transaction(ctx, call),
                loop=loop_context(ctx, call, call),
                has_timeout=timeout if kind in {"http", "subprocess", "email"} else None,
            )
        )
