"""What a command line starts: the role of a script and the files/modules it names.

Shared by the manifest extractor (package.json scripts, pyproject console scripts) and the
infra extractors (Dockerfile ``CMD``, compose ``command``, Procfile lines), which all emit
:class:`EntryPoint` facts. Targets are kept as written, relative to the declaring file's
folder; the model resolves them to scanned files:

- ``path`` for a file (``dist/main.js``, ``src/seed.ts``, ``./data-source-cli.ts``);
- ``py:module`` for a Python module (``python -m app.worker``, ``uvicorn app.main:app``);
- ``npm:name`` for another script of the same package.json (``npm run migrate``);
- ``manage:command`` for a Django management command (``python manage.py seed_db``);
- ``path.sh`` for a shell script the command runs (``./start.sh``, ``bash docker/run.sh``),
  whose own commands the model reads when a production command runs it
  (:mod:`scalescope.model.run_scripts`).
"""

from __future__ import annotations

import posixpath
import re
import shlex

_CODE_EXT = re.compile(r"\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py)$")
_SEGMENT_SPLIT = re.compile(r"\s*(?:&&|\|\||;|\||&)\s*")
_ENV_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# runners whose first positional argument is the file they run
_FILE_RUNNERS = frozenset(
    {
        "node",
        "ts-node",
        "tsx",
        "nodemon",
        "bun",
        "babel-node",
        "ts-node-dev",
        "tsnd",
        "esno",
        "jiti",
        "vite-node",
    }
)
# ASGI/WSGI servers and task runners whose first positional argument is ``module[:attr]``
_MODULE_SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "daphne", "granian", "waitress-serve"})
_PREFIXES = frozenset(
    {"cross-env", "env", "dotenv", "exec", "npx", "pnpx", "bunx", "yarn-run", "time", "nohup"}
)
_PM = frozenset({"npm", "yarn", "pnpm", "bun"})
#: Python environment managers whose ``run`` runs the command after it in the project's
#: environment (``poetry run hypercorn app.asgi:application``, ``uv run --frozen gunicorn ...``)
_ENV_RUNNERS = frozenset({"poetry", "pipenv", "uv", "pdm", "hatch", "rye"})
#: shells that run a script or a ``-c`` command
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ash"})
_USER_SWITCH = frozenset({"gosu", "su-exec"})
_INITS = frozenset({"dumb-init", "tini", "tini-static", *_USER_SWITCH})
_PM_BUILTINS = frozenset({"install", "ci", "add", "exec", "dlx", "x", "i", "build"})
_PY = re.compile(r"^python(\d(\.\d+)?)?$")
# programs a command may name by path (``/usr/local/bin/gunicorn``): never a script of the tree
_KNOWN_PROGRAMS = frozenset(
    {
        *_FILE_RUNNERS,
        *_MODULE_SERVERS,
        *_PREFIXES,
        *_PM,
        *SHELLS,
        *_INITS,
        "celery",
        "nest",
        "pip",
        "uv",
        "poetry",
    }
)


def _script_word(word: str) -> bool:
    """Whether a command word names a script or launcher file the command runs: ``start.sh``,
    or a path to a file without an extension (``./docker-entrypoint``, ``bin/start-web``,
    ``./pex``) that is not a known program (``/usr/local/bin/gunicorn``). The model keeps such
    a target only when the tree holds a shell script at that path
    (:mod:`scalescope.model.run_scripts`)."""
    name = word.rsplit("/", 1)[-1]
    if name.endswith(".sh"):
        return True
    if "/" not in word or not name or "." in name or word.startswith(("$", "-")):
        return False
    return name not in _KNOWN_PROGRAMS and not _PY.match(name)


def _words(segment: str) -> list[str]:
    try:
        return shlex.split(segment)
    except ValueError:
        # a quote opened in one ``&&`` segment and closed in the next (``sh -c "a && b"``)
        return [w.strip("'\"") for w in segment.split()]


def _positional(words: list[str], start: int) -> str | None:
    """The first argument after ``start`` that is not an option (options with a value are
    skipped when written ``--opt=value``; ``-r x`` style pairs are skipped for node)."""
    i = start
    while i < len(words):
        word = words[i]
        if word in {"--", "run"} and i == start:
            i += 1
            continue
        if word.startswith("-"):
            if word in {"-r", "--require", "--import", "--loader", "-c", "--config", "--env-file", "-e"}:
                i += 2
                continue
            i += 1
            continue
        return word
    return None


_APP_SPEC = re.compile(r"^([A-Za-z_][\w.]*):[A-Za-z_][\w.]*(\(.*\))?$")
_MODULE = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*$")


def _app_spec(args: list[str]) -> str | None:
    """The ``module`` of a server's ``module:app`` argument (``config.wsgi:application``);
    else the first bare dotted name that is not an option's value."""
    for arg in args:
        m = _APP_SPEC.match(arg)
        if m:
            return m.group(1)
    after_option = False
    for arg in args:
        if arg.startswith("-"):
            # ``--opt=value`` and ``-kgevent`` (a short option with its value attached) take no
            # next argument
            after_option = "=" not in arg and not (not arg.startswith("--") and len(arg) > 2)
            continue
        if not after_option and _MODULE.match(arg):
            return arg
        after_option = False
    return None


def command_targets(command: str) -> tuple[str, ...]:
    """The files, modules and scripts a shell command runs (see the module docstring)."""
    out: list[str] = []
    for segment in _SEGMENT_SPLIT.split(command.strip()):
        words = _words(segment)
        while words and (
            _ENV_ASSIGN.match(words[0]) or words[0] in _PREFIXES or words[0].rsplit("/", 1)[-1] in _INITS
        ):
            head = words.pop(0)
            if head == "dotenv":  # dotenv -e .env -- cmd
                while words and words[0] != "--" and words[0].startswith("-"):
                    words = words[2:] if words[0] in {"-e", "-c"} else words[1:]
                if words and words[0] == "--":
                    words.pop(0)
            elif (init := head.rsplit("/", 1)[-1]) in _INITS:
                # a container's init (``dumb-init -- cmd``, ``tini -g -- cmd``) or a user switch
                # (``gosu app cmd``, ``su-exec app cmd``) runs the command after it
                while words and words[0].startswith("-") and words[0] != "--":
                    words.pop(0)
                if words and words[0] == "--":
                    words.pop(0)
                elif words and init in _USER_SWITCH:
                    words.pop(0)  # the user
        if len(words) > 2 and words[0].rsplit("/", 1)[-1] in _ENV_RUNNERS and words[1] == "run":
            words = words[2:]
            while len(words) > 1 and words[0].startswith("-"):
                words.pop(0)  # ``uv run --frozen gunicorn ...``
        if not words:
            continue
        exe = words[0].rsplit("/", 1)[-1]
        if exe in SHELLS and len(words) > 2 and words[1] == "-c":
            out.extend(command_targets(" ".join(words[2:])))  # ``sh -c "python manage.py migrate && ..."``
            continue
        if exe in SHELLS and len(words) > 1 and _script_word(words[1]):
            words = words[1:]  # ``bash start.sh``: the script runs
            exe = words[0].rsplit("/", 1)[-1]
        ran_script = False
        while _script_word(words[0]):
            # a start script runs (``CMD ["./start.sh"]``, ``ENTRYPOINT ["/docker-entrypoint"]``);
            # a Dockerfile ENTRYPOINT wrapper that ends in ``exec "$@"`` runs the CMD after it
            # (``docker-entrypoint.sh gunicorn app:app``, ``/entrypoint.sh /start.sh``), and a
            # launcher runs the command after it (``./pex gunicorn app.wsgi``): all run
            out.append(words[0])
            ran_script = True
            if len(words) == 1 or words[1].startswith("-"):
                break
            words = words[1:]
            exe = words[0].rsplit("/", 1)[-1]
            if exe in SHELLS and len(words) > 1 and _script_word(words[1]):
                words = words[1:]  # ``sh /entrypoint.sh sh /start.sh``: the next script runs
                exe = words[0].rsplit("/", 1)[-1]
        if ran_script and len(words) == 1:
            continue
        if exe in _PM:
            rest = [w for w in words[1:] if not w.startswith("-")]
            if rest and rest[0] == "run" and len(rest) > 1:
                out.append(f"npm:{rest[1]}")
            elif rest and rest[0] not in _PM_BUILTINS:
                out.append(f"npm:{rest[0]}")
            continue
        if _PY.match(exe):
            if len(words) > 2 and words[1] == "-m":
                module = words[2]
                if module in _MODULE_SERVERS or module == "celery":
                    words = words[2:]
                    exe = module
                else:
                    out.append(f"py:{module}")
                    continue
            else:
                target = _positional(words, 1)
                if target is not None and target.endswith("manage.py"):
                    out.append(target)
                    cmd = _positional(words, words.index(target) + 1)
                    if cmd is not None:
                        out.append(f"manage:{cmd}")
                    continue
                if target is not None:
                    out.append(target)
                continue
        if exe in _MODULE_SERVERS:
            target = _app_spec(words[1:])
            if target is not None:
                out.append("py:" + target)
        elif exe == "uwsgi":
            # ``uwsgi --module app.wsgi`` / ``-w app.wsgi:application`` / ``--wsgi-file app/wsgi.py``
            for i, word in enumerate(words):
                key, _, value = word.partition("=")
                if not value and key in {"--module", "-w", "--wsgi", "--wsgi-file"} and i + 1 < len(words):
                    value = words[i + 1]
                if key in {"--module", "-w", "--wsgi"} and value:
                    out.append("py:" + value.split(":", 1)[0])
                elif key == "--wsgi-file" and value:
                    out.append(value)
        elif exe == "celery":
            for i, word in enumerate(words):
                if word in {"-A", "--app"} and i + 1 < len(words):
                    out.append("py:" + words[i + 1].split(":", 1)[0])
                elif word.startswith("--app="):
                    out.append("py:" + word.split("=", 1)[1].split(":", 1)[0])
        elif exe in _FILE_RUNNERS:
            target = _positional(words, 1)
            if target is not None and target not in {"watch"}:
                out.append(target)
            elif target == "watch":
                nxt = _positional(words, words.index("watch") + 1)
                if nxt is not None:
                    out.append(nxt)
        elif exe == "nest" and len(words) > 1 and words[1] == "start":
            out.append("src/main.ts")
        # any other file named on the line (``typeorm ... -d data-source-cli.ts``, ``-c x.py``)
        for word in words[1:]:
            value = word.split("=", 1)[1] if word.startswith("--") and "=" in word else word
            if not value.startswith("-") and _CODE_EXT.search(value) and "://" not in value:
                out.append(value)
    return tuple(dict.fromkeys(t.removeprefix("./") for t in out if t))


def base_entry_targets(command: str) -> tuple[str, ...]:
    """The app a Dockerfile ``CMD`` of options only names (``CMD ["-k", "gevent", "-w", "2",
    "app.wsgi"]``): arguments for the ``ENTRYPOINT`` of the base image (a gunicorn image), whose
    ``module:app`` or bare module argument is what runs, as ``py:module``; else ``()``."""
    words = _words(command)
    if not words or not words[0].startswith("-"):
        return ()
    module = _app_spec(words)
    return (f"py:{module}",) if module is not None else ()


_CD = re.compile(r"^cd\s+(\S+)\s*$")


def script_targets(script: str, cwd: str = "") -> tuple[str, ...]:
    """What a multi-line shell script runs (a CI step's ``run: |`` block): the targets of
    each command (:func:`command_targets`), relative to the folder the script is in at that
    point (``cwd``, changed by ``cd dir``; after ``cd $VAR`` nothing is known). Comments and
    backslash continuations are read as a shell would; ``npm:`` targets are left out (a
    package script keeps the role its own name gives it)."""
    out: list[str] = []
    folder: str | None = cwd
    logical: list[str] = []
    buf = ""
    for raw in script.splitlines():
        line = raw.strip()
        if not buf and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        logical.append(buf + line)
        buf = ""
    if buf:
        logical.append(buf)
    for line in logical:
        for segment in _SEGMENT_SPLIT.split(line):
            m = _CD.match(segment.strip())
            if m:
                where = m.group(1).strip("'\"")
                if folder is None or where.startswith(("$", "~", "-", "/")):
                    folder = None
                else:
                    folder = posixpath.normpath(posixpath.join(folder, where)) if folder else where
                    folder = "" if folder == "." else folder
                continue
            if folder is None or folder.startswith(".."):
                continue
            for target in command_targets(segment):
                if target.startswith("npm:"):
                    continue
                if ":" in target or not folder:
                    out.append(target)
                else:
                    out.append(posixpath.normpath(posixpath.join(folder, target)))
    return tuple(dict.fromkeys(out))


_TEST = re.compile(r"test|spec|e2e|cypress|playwright|coverage|jest|vitest|mocha", re.IGNORECASE)
_MIGRATION = re.compile(r"migrat", re.IGNORECASE)
_DEV = re.compile(r"(^|[:_-])(dev|develop|development|watch|debug|local|storybook)($|[:_-])", re.IGNORECASE)
_PROD_NAMES = frozenset({"start", "serve", "server", "prod", "production", "main", "web", "api", "app"})
_BACKGROUND = re.compile(
    r"(^|[:_-])(worker|workers|queue|jobs?|cron|consumer|scheduler|beat)($|[:_-])", re.IGNORECASE
)
_DEV_COMMAND = re.compile(
    r"\b(nodemon|ts-node-dev|tsnd|next dev|nuxt dev|vite(?!-node)|--watch|tsx watch|runserver)\b"
)


def script_role(name: str, command: str) -> str:
    """production | dev-only | test | migration | tooling, from a script's name and command."""
    low = name.lower()
    if _TEST.search(low):
        return "test"
    if _MIGRATION.search(low):
        return "migration"
    if _DEV.search(low):
        return "dev-only"
    head = re.split(r"[:_-]", low, maxsplit=1)[0]
    if head in _PROD_NAMES or _BACKGROUND.search(low):
        if low != head and _DEV_COMMAND.search(command):
            return "dev-only"
        return "production"
    return "migration" if _MIGRATION.search(command) else "tooling"


def command_role(command: str) -> str:
    """Role of a deployment command (Dockerfile ``CMD``, compose ``command``, Procfile line):
    production, unless it only migrates, seeds or tests."""
    low = command.lower()
    if re.search(r"\b(pytest|jest|vitest|mocha)\b", low):
        return "test"
    if re.search(r"manage\.py\s+runserver|\bnodemon\b|next dev|--reload\b|tsx watch|ts-node-dev", low):
        return "dev-only"
    parts = [p for p in _SEGMENT_SPLIT.split(low) if p.strip()]
    if parts and all(re.search(r"migrat|\bseed|alembic upgrade|db:push", p) for p in parts):
        return "migration"
    return "production"
