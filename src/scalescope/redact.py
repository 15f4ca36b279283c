"""Redaction of secrets in anything a report shows (excerpts, messages, option values)."""

from __future__ import annotations

import re

_URL_CRED = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s'\"]*:)([^@\s'\"/]+)(@)")
_KEYVAL = re.compile(
    r"""(?ix)
    ((?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|
        client[_-]?secret|auth[_-]?token|credentials?)[\w-]*["']?\s*[:=]\s*)
    (["'`]?)([^"'`\s,;}{)]{3,})(\2)"""
)
_TOKENS = re.compile(
    r"\b(AKIA[0-9A-Z]{16}|sk_(?:live|test)_[0-9a-zA-Z]{10,}|gh[pousr]_[0-9A-Za-z]{20,}|"
    r"xox[baprs]-[0-9A-Za-z-]{10,}|eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,}|"
    r"AIza[0-9A-Za-z_-]{35})\b"
)
_SAFE_VALUE = re.compile(r"^(process\.env\.|os\.environ|os\.getenv|env\(|config\.|settings\.|\$\{|getenv)")


def redact(text: str) -> str:
    """Replace credentials in ``text`` with ``***`` (URL passwords, secret-named values, tokens).

    Values that are plainly references (``process.env.X``, ``os.environ[...]``) are kept: they
    show where a secret comes from, not the secret.
    """
    if not text:
        return text
    text = _URL_CRED.sub(r"\1***\3", text)

    def keyval(m: re.Match[str]) -> str:
        value = m.group(3)
        if _SAFE_VALUE.match(value) or value in {"true", "false", "null", "None", "undefined"}:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}***{m.group(4)}"

    text = _KEYVAL.sub(keyval, text)
    return _TOKENS.sub("***", text)
