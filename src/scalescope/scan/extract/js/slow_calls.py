"""SlowCall facts for Node: outbound HTTP, email, sleeps, child processes, image and PDF work,
synchronous crypto and file I/O, with their loop and transaction context.

A call is recognised by its callee and receiver (``axios.post``, ``transporter.sendMail``,
``sharp(buf)``, ``fs.readFileSync``), never by a bare generic name: ``exec`` counts only where
the file imports ``child_process``; ``setTimeout`` counts only as an awaited sleep.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import SlowCall
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    arguments,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    object_pairs,
    unwrap,
)
from scalescope.scan.extract.js.data_common import in_transaction, lower_text

NEEDS = (
    "fetch",
    "axios",
    "got",
    "superagent",
    "request",
    "http",
    "sendMail",
    "sgMail",
    "sendgrid",
    "SendEmail",
    "ses",
    "resend",
    "sleep",
    "delay",
    "setTimeout",
    "child_process",
    "execa",
    "sharp",
    "jimp",
    "Jimp",
    "puppeteer",
    "pdf",
    "PDF",
    "Sync(",
    "S3",
    "s3",
)

_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "request", "options"})
_HTTP_CLIENTS = frozenset(
    {
        "axios",
        "got",
        "superagent",
        "needle",
        "ky",
        "httpService",
        "httpClient",
        "http",
        "https",
        "undici",
        "ofetch",
        "$fetch",
        "request",
    }
)
_SUBPROCESS = frozenset({"exec", "execSync", "spawn", "spawnSync", "execFile", "execFileSync", "fork"})
_SYNC_FS = frozenset(
    {
        "readFileSync",
        "writeFileSync",
        "appendFileSync",
        "readdirSync",
        "statSync",
        "copyFileSync",
        "mkdirSync",
        "unlinkSync",
        "rmSync",
        "existsSync",
        "renameSync",
        "lstatSync",
        "accessSync",
        "openSync",
        "readSync",
        "writeSync",
    }
)
_FS_ASYNC = frozenset({"readFile", "writeFile", "appendFile", "copyFile", "readdir", "rm", "unlink"})
_CRYPTO_SYNC = frozenset(
    {"hashSync", "compareSync", "genSaltSync", "pbkdf2Sync", "scryptSync", "generateKeyPairSync"}
)
_SLEEPS = frozenset({"sleep", "delay", "wait", "setTimeoutPromise", "pause"})
#: an awaited timer shorter than this is a yield to the event loop, not slow work
_SHORT_SLEEP_MS = 100
_S3_METHODS = frozenset({"upload", "putObject", "getObject", "copyObject", "deleteObject"})
_TIMEOUT_KEYS = frozenset({"timeout", "signal", "timeoutMs", "deadline", "cancelToken", "requestTimeout"})


def _options_timeout(ctx: FileContext, node: ts.Node | None) -> bool | None:
    node = unwrap(node)
    if node is None:
        return False
    if node.type != "object":
        return None
    pairs = object_pairs(ctx, node)
    if _TIMEOUT_KEYS & set(pairs):
        return True
    if any(c.type == "spread_element" for c in node.named_children):
        return None
    return False


def _http(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> tuple[str, bool | None] | None:
    args = arguments(call)
    if parts in {
        ("fetch",),
        ("nodeFetch",),
        ("ofetch",),
        ("$fetch",),
        ("undici", "fetch"),
        ("undici", "request"),
        ("globalThis", "fetch"),
    }:
        return ".".join(parts), _options_timeout(ctx, args[1] if len(args) > 1 else None)
    if parts in {("axios",), ("got",), ("superagent",), ("ky",), ("needle",)}:
        last_arg = unwrap(args[-1]) if args else None
        opts = last_arg if last_arg is not None and last_arg.type == "object" else None
        return parts[0], _options_timeout(ctx, opts)
    if len(parts) >= 2 and parts[-1] in _HTTP_VERBS and parts[-2] in _HTTP_CLIENTS:
        if parts[-2] in {"http", "https"} and parts[-1] not in {"get", "request"}:
            return None
        if parts[-2] == "request" and not ctx.has_any("'request'", '"request"'):
            return None
        last = unwrap(args[-1]) if args else None
        opts = last if last is not None and last.type == "object" and len(args) >= 2 else None
        if parts[-2] == "superagent":
            timed = (
                ".timeout(" in ctx.node_text(call.parent.parent)
                if call.parent is not None and call.parent.parent is not None
                else False
            )
            return ".".join(parts[-2:]), timed
        return ".".join(parts[-2:]), _options_timeout(ctx, opts)
    return None


def _kind(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> tuple[str, str, bool | None] | None:
    if not parts:
        return None
    name = parts[-1]
    recv = parts[-2] if len(parts) >= 2 else ""
    http = _http(ctx, call, parts)
    if http is not None:
        return "http", http[0], http[1]
    if (
        name == "sendMail"
        or (name in {"send", "sendMultiple"} and recv.lower() in {"sgmail", "sendgrid", "mail"})
        or (
            name in {"sendEmail", "sendRawEmail", "sendTemplatedEmail"}
            and recv.lower() in {"ses", "sesclient", "postmark", "client"}
        )
    ):
        return "email", ".".join(parts[-2:]), None
    if (len(parts) >= 3 and parts[-3:] == ("resend", "emails", "send")) or (
        parts[-2:] == ("messages", "create") and "mailgun" in lower_text(ctx)
    ):
        return "email", ".".join(parts[-3:]), None
    if name == "send" and recv and "client" in recv.lower():
        args = arguments(call)
        arg = unwrap(args[0]) if args else None
        if arg is not None and arg.type == "new_expression":
            ctor = ctx.node_text(arg.child_by_field_name("constructor"))
            if ctor.endswith("EmailCommand"):
                return "email", ctor, None
            if ctor.endswith("ObjectCommand") or ctor.endswith("UploadCommand"):
                return "http", ctor, None
    if name in _S3_METHODS and "s3" in recv.lower():
        return "http", ".".join(parts[-2:]), None
    if len(parts) == 1 and name in _SLEEPS and _awaited(call):
        return "sleep", name, None
    if parts == ("setTimeout",) and _awaited_promise(call):
        args = arguments(call)
        ms = ctx.node_text(unwrap(args[1])) if len(args) > 1 else ""
        if ms.isdigit() and int(ms) < _SHORT_SLEEP_MS:
            return None  # a yield of a few milliseconds (``setTimeout(r, 5)``), not slow work
        return "sleep", "setTimeout", None
    if name in _SUBPROCESS and (
        recv in {"child_process", "cp", "childProcess"} or (len(parts) == 1 and "child_process" in ctx.text)
    ):
        return "subprocess", ".".join(parts[-2:]) if recv else name, None
    if name in {"execa", "execaSync", "$"} and len(parts) == 1 and "execa" in ctx.text:
        return "subprocess", name, None
    if (
        parts == ("sharp",)
        or (name == "read" and recv in {"Jimp", "jimp"})
        or (parts == ("gm",) and "'gm'" in ctx.text)
    ):
        return "image", ".".join(parts), None
    if (
        parts[-2:] == ("puppeteer", "launch")
        or parts[-2:] == ("chromium", "launch")
        or (name == "pdf" and recv in {"page", "browserPage"})
        or (name == "create" and recv in {"pdf", "PDFDocument", "htmlPdf"})
        or name in {"renderToBuffer", "renderToFile", "generatePdf"}
    ):
        return "pdf", ".".join(parts[-2:]), None
    if name in _CRYPTO_SYNC and (recv in {"bcrypt", "bcryptjs", "crypto"} or len(parts) == 1):
        return "crypto", ".".join(parts[-2:]) if recv else name, None
    if name in _SYNC_FS and (recv in {"fs", "fse", "fsExtra"} or (len(parts) == 1 and "fs" in ctx.text)):
        return "file-io", ".".join(parts[-2:]) if recv else name, None
    if name in _FS_ASYNC and (recv in {"fsp", "fsPromises"} or parts[-3:-1] == ("fs", "promises")):
        return "file-io", ".".join(parts[-3:]), None
    return None


#: promise methods whose result is the same work's promise (``fetch(u).catch(log)``)
_PROMISE_CHAIN = frozenset({"then", "catch", "finally"})
#: ``Promise.<x>([...])``: a promise that settles with (or after) the promises it is given
_PROMISE_COMBINATORS = frozenset({"all", "allSettled", "race", "any"})


def _dropped(ctx: FileContext, call: ts.Node) -> bool:
    """The promise ``call`` returns is dropped: nothing awaits it, returns it or keeps it.

    Its value (through ``.then``/``.catch``/``.finally``, parentheses, ``&&``/``||``/``??``,
    a ternary branch, a ``Promise.all([...])`` array) ends in a statement of its own or a
    ``void``, or is stored in a name the enclosing function never mentions again. Such a call
    is fire-and-forget: the function it is written in goes on and returns without waiting for
    it. Anything else (awaited, returned, an arrow's expression body, an argument, an
    assignment, a name used again) may be waited for: not dropped."""
    cur = call
    for _ in range(16):
        parent = cur.parent
        if parent is None:
            return False
        kind = parent.type
        if kind == "expression_statement":
            return True
        if kind == "unary_expression":
            return ctx.node_text(parent.child_by_field_name("operator")) == "void"
        if kind in {
            "parenthesized_expression",
            "as_expression",
            "non_null_expression",
            "satisfies_expression",
        }:
            cur = parent
            continue
        if kind == "binary_expression":
            if ctx.node_text(parent.child_by_field_name("operator")) not in {"&&", "||", "??"}:
                return False
            cur = parent
            continue
        if kind == "ternary_expression":
            if cur.id == (parent.child_by_field_name("condition") or cur).id:
                return False
            cur = parent
            continue
        if kind == "member_expression":
            chained = parent.parent
            if (
                (parent.child_by_field_name("object") or parent).id != cur.id
                or ctx.node_text(parent.child_by_field_name("property")) not in _PROMISE_CHAIN
                or chained is None
                or chained.type != "call_expression"
                or (chained.child_by_field_name("function") or chained).id != parent.id
            ):
                return False
            cur = chained
            continue
        if kind == "array":
            args = parent.parent
            combinator = args.parent if args is not None and args.type == "arguments" else None
            if combinator is None or combinator.type != "call_expression":
                return False
            fn = combinator.child_by_field_name("function")
            if fn is None or fn.type != "member_expression":
                return False
            if ctx.node_text(fn.child_by_field_name("object")) != "Promise" or (
                ctx.node_text(fn.child_by_field_name("property")) not in _PROMISE_COMBINATORS
            ):
                return False
            cur = combinator
            continue
        if kind == "variable_declarator":
            name = parent.child_by_field_name("name")
            if (
                name is None
                or name.type != "identifier"
                or (parent.child_by_field_name("value") or cur).id != cur.id
            ):
                return False
            scope = enclosing_function(parent)
            if scope is None:
                return False
            word = re.compile(rf"(?<![\w$.]){re.escape(ctx.node_text(name))}(?![\w$])")
            body = scope.text or b""
            start, end = parent.start_byte - scope.start_byte, parent.end_byte - scope.start_byte
            rest = (body[:start] + b" " + body[end:]).decode("utf-8", "replace")
            return word.search(rest) is None
        return False
    return False


def _holds_transaction(ctx: FileContext, call: ts.Node, kind: str, target: str) -> bool:
    """The slow call keeps an enclosing transaction open: it is inside the body, and it either
    blocks the thread (``readFileSync``, ``bcrypt.hashSync``) or its promise is not dropped
    (an un-awaited ``axios.post(...).catch(log)`` lets the callback return and commit)."""
    if not in_transaction(ctx, call):
        return False
    blocking = kind == "crypto" or target.endswith("Sync")
    return blocking or not _dropped(ctx, call)


def _awaited(call: ts.Node) -> bool:
    parent = call.parent
    return parent is not None and parent.type == "await_expression"


def _awaited_promise(call: ts.Node) -> bool:
    """``await new Promise(r => setTimeout(r, ms))``."""
    node = call.parent
    depth = 0
    while node is not None and depth < 8:
        if node.type == "new_expression":
            parent = node.parent
            return parent is not None and parent.type == "await_expression"
        node = node.parent
        depth += 1
    return False


@extractor(languages=JS_LANGUAGES, needs=NEEDS)
def slow_calls(ctx: FileContext) -> None:
    """Emit a :class:`SlowCall` per slow operation found in the file."""
    from scalescope.scan.extract.js.ast import iter_calls

    for call, parts in iter_calls(ctx):
        found = _kind(ctx, call, parts)
        if found is None:
            continue
        kind, target, timeout = found
        ctx.emit(
            SlowCall(
                ctx.line_loc(call.start_point[0] + 1, call.end_point[0] + 1),
                kind=kind,
                target=target,
                function_id=enclosing_function_id(ctx, call),
                in_transaction=_holds_transaction(ctx, call, kind, target),
                loop=enclosing_loop(ctx, call),
                has_timeout=timeout if kind == "http" else None,
            )
        )
    if "pdfkit" in ctx.text:
        for node in captures(ctx.language, "(new_expression) @n", ctx.root).get("n", []):
            if ctx.node_text(node.child_by_field_name("constructor")) in {"PDFDocument", "PDFKit"}:
                ctx.emit(
                    SlowCall(
                        ctx.loc(node),
                        kind="pdf",
                        target="new PDFDocument",
                        function_id=enclosing_function_id(ctx, node),
                        in_transaction=in_transaction(ctx, node),
                        loop=enclosing_loop(ctx, node),
                    )
                )
