"""Every example in README.md and docs/**/*.md runs, and its shown output is what it prints.

How a document's code blocks are read:

* ```` ```python ```` — a doctest (``>>>`` lines, output below them), run with ``doctest``.
* ```` ```console ```` — a terminal session: each ``$ `` line is a command (continued on the next lines
  while a quote is open or the line ends with ``\\``), the lines up to the next ``$ `` are its output.
* ```` ```bash ```` — commands only, one per line (``#`` comments dropped); each must succeed.
* anything else (```` ```csv ````, layout trees, unlabelled output) is not an example, and must not hold
  a command (a block that starts like one fails: label it).

**Shortened output** is marked one way: a line that starts with ``…`` (and runs on to a line that ends with
``…``, e.g. ``… (shortened here: …) …``) stands for any number of lines; a ``…`` inside a line stands for
any text in that line (timings, paths). Doctests use the same ``…``.

Commands run with ``bash`` in one temporary folder per document (so ``synth`` then ``bulk`` work on the
same files), with ``.venv`` there pointing at the project's environment, ``COLUMNS=80`` and a home of
their own. What the runner does with each kind of command is in ``KINDS``; a command of no known kind
fails the test. Some are run **smaller or differently** than written, and then their output is not
compared (the examples that show output are run exactly as written):

* ``./run CMD`` runs ``.venv/bin/stca CMD`` (``./run`` sets up ``.venv`` first: ``.ci/run`` proves that on
  a fresh clone); ``./run test`` is this suite itself and is not run again.
* ``stca simulate``: at most 4 replications, in process (``--runs 4 --workers 0``).
* ``stca validate``: two cutoffs, 2 replications (``--from 2023-01 --to 2023-02 --runs 2``).
* ``./run demo``: ``--rows 1000 --runs 4 --port 0``, stopped with SIGTERM once the case desk is up — and
  the desk it started must be gone afterwards.
* ``stca serve``: on ``--port 0``; its output up to "case desk on" is compared with the documented port
  put back; then it is stopped.
* ``pytest …``: collected only (``--collect-only``), and a ``# N tests`` comment is checked against the
  count.
* ``pybabel``: run on a copy of ``stca/desk/web``; the catalogue must come out unchanged.
* ``./run bench`` / ``python -m benchmarks``: not run (minutes of measurement; ``./run bench`` is their
  runner); every option they use is checked against ``--help``.

Each document's examples run in a folder of their own. The report line (``-s`` shows it) counts examples
run and compared, run but not compared, and not run.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, SPEC

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL = ("console", "bash", "sh", "shell")
PLAIN = ("", "csv", "text", "json", "yaml", "toml", "html")
ELLIPSIS = "…"
STCA = str(ROOT / ".venv" / "bin" / "stca")


# --------------------------------------------------------------------------------------------- reading

@dataclass
class Block:
    doc: Path
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


@dataclass
class Example:
    block: Block
    command: str
    expected: list[str] | None  # None: no output shown
    comment: str = ""


def blocks(doc: Path) -> list[Block]:
    """The fenced code blocks of a Markdown file (also indented ones, inside list items)."""
    found: list[Block] = []
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^(\s*)```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m.group(1), m.group(2), i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        found.append(Block(doc, start + 1, lang, "\n".join(body)))
        i += 1
    return found


ALL_BLOCKS = [b for doc in DOCUMENTS for b in blocks(doc)]


def _open_quote(text: str) -> bool:
    try:
        shlex.split(text, comments=False)
    except ValueError:
        return True
    return False


def _split_comment(line: str) -> tuple[str, str]:
    """``cmd  # comment`` → (cmd, comment), a ``#`` inside quotes kept."""
    for m in re.finditer(r"\s#\s", line):
        if not _open_quote(line[: m.start()]):
            return line[: m.start()].rstrip(), line[m.end():].strip()
    return line.rstrip(), ""


def examples(block: Block) -> list[Example]:
    """The commands of a shell block, each with the output shown under it (console) or none (bash)."""
    out: list[Example] = []
    lines = block.text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if block.lang == "console" and not line.startswith("$ "):
            raise AssertionError(f"{block.where}: output before any '$ ' command: {line!r}")
        text = line[2:] if block.lang == "console" else line
        if block.lang != "console" and (not text.strip() or text.lstrip().startswith("#")):
            i += 1
            continue
        while (text.endswith("\\") or _open_quote(text)) and i + 1 < len(lines):
            i += 1
            text += "\n" + lines[i]
        command, comment = _split_comment(text)
        expected: list[str] | None = None
        if block.lang == "console":
            expected = []
            while i + 1 < len(lines) and not lines[i + 1].startswith("$ "):
                i += 1
                expected.append(lines[i])
        out.append(Example(block, command, expected, comment))
        i += 1
    return out


# ------------------------------------------------------------------------------------------- comparing

def _pattern(line: str) -> re.Pattern[str]:
    return re.compile("^" + ".*?".join(re.escape(part.rstrip()) for part in line.rstrip().split(ELLIPSIS)) + r"\s*$")


def _items(expected: list[str]) -> list[re.Pattern[str] | None]:
    """Expected lines as patterns; None = a shortened run of any lines (``…`` … ``…``)."""
    items: list[re.Pattern[str] | None] = []
    i = 0
    while i < len(expected):
        stripped = expected[i].strip()
        if stripped.startswith(ELLIPSIS):
            while not expected[i].strip().endswith(ELLIPSIS) and i + 1 < len(expected):
                i += 1
            items.append(None)
        else:
            items.append(_pattern(expected[i]))
        i += 1
    return items


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines are the ``expected`` ones, with the shortening markers."""
    items = _items([e for e in expected])
    while actual and not actual[-1].strip():
        actual = actual[:-1]
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(items):
                memo[i, j] = j == len(actual)
            elif items[i] is None:
                memo[i, j] = any(go(i + 1, k) for k in range(j, len(actual) + 1))
            else:
                memo[i, j] = j < len(actual) and bool(items[i].match(actual[j])) and go(i + 1, j + 1)  # type: ignore[union-attr]
        return memo[i, j]

    return go(0, 0)


def test_the_comparison_understands_the_shortening_markers() -> None:
    assert matches(["a", "… (shortened here:", "more) …", "z"], ["a", "b", "c", "z"])
    assert matches(["1 cases → x in … s (law)"], ["1 cases → x in 0.3 s (law)"])
    assert matches(["a", "…", "z"], ["a", "z"])
    assert not matches(["a", "…", "z"], ["a", "b"])
    assert not matches(["a", "b"], ["a", "c"])
    assert not matches(["1 cases → x in … s (law)"], ["2 cases → x in 0.3 s (law)"])


# --------------------------------------------------------------------------------------------- running

@dataclass
class Session:
    """The folder examples run in, and what the runner did with each of them."""

    cwd: Path
    env: dict[str, str]
    tally: Counter[str] = field(default_factory=Counter)
    done: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)

    def bash(self, command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-c", command], cwd=self.cwd, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


def new_session(cwd: Path) -> Session:
    """A folder for one document's examples, with ``.venv`` there and a home of its own."""
    (cwd / ".venv").symlink_to(ROOT / ".venv")
    home = cwd / ".home"
    home.mkdir()
    env = {**os.environ, "COLUMNS": "80", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "TMPDIR": str(cwd),
           "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}", "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("STCA_DATABASE_URL", None)
    return Session(cwd, env)


def _argv(command: str) -> list[str]:
    return shlex.split(command.replace("\\\n", " "))


def _stca_args(command: str) -> list[str] | None:
    """The arguments of a plain ``stca`` command (``.venv/bin/stca``, ``stca`` or ``./run CMD``), else None."""
    argv = _argv(command) if "|" not in command else []
    if argv and argv[0] in (".venv/bin/stca", "stca"):
        return argv[1:]
    if argv[:1] == ["./run"] and argv[1:2] and argv[1] not in ("test", "bench", "demo", "help", "-h", "--help"):
        return argv[1:]
    return None


def _option(args: list[str], name: str, value: str) -> list[str]:
    """``args`` with option ``name`` set to ``value`` (replaced or added)."""
    if name in args:
        i = args.index(name)
        return [*args[:i + 1], value, *args[i + 2:]]
    return [*args, name, value]


def _until_ready(session: Session, argv: list[str]) -> tuple[subprocess.Popen[str], list[str]]:
    """Start a long-running command; its output lines up to the case desk's "case desk on" line."""
    proc = subprocess.Popen(argv, cwd=session.cwd, env=session.env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:  # bounded by the per-test timeout
        seen.append(line.rstrip("\n"))
        if line.startswith("case desk on "):
            return proc, seen
    proc.wait()
    raise AssertionError(f"{' '.join(argv)} ended ({proc.returncode}) before the case desk started:\n"
                         + "\n".join(seen[-30:]))


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def run_serve(session: Session, ex: Example) -> str:
    args = _stca_args(ex.command)
    assert args is not None
    documented = args[args.index("--port") + 1] if "--port" in args else "8000"
    proc, seen = _until_ready(session, [STCA, *_option(args, "--port", "0")])
    port = re.search(r"case desk on http://127\.0\.0\.1:(\d+)/", seen[-1])
    os.killpg(proc.pid, signal.SIGTERM)  # the server and its workers (--workers N)
    proc.communicate(timeout=30)
    assert port, seen
    if ex.expected is None:
        return "smaller"
    shown = [line.replace(f":{port.group(1)}/", f":{documented}/") for line in seen]
    assert matches(ex.expected, shown), (ex.block.where, ex.command, shown)
    return "compared"


def run_demo(session: Session, ex: Example) -> str:
    """``./run demo``, smaller; SIGTERM once the desk is up: the demo must stop its server child too."""
    args = _argv(ex.command)[2:]
    for name, value in (("--rows", "1000"), ("--runs", "4"), ("--port", "0"), ("--out", "out/demo")):
        args = _option(args, name, value)
    proc, seen = _until_ready(session, [STCA, "demo", *args])
    children = _children(proc.pid)
    assert children, "the demo's case desk runs as a child process"
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode != 0  # stopped, not finished
    assert not [pid for pid in children if _alive(pid)], "stca demo left its case desk running"
    assert (session.cwd / "out" / "demo" / "simulation" / "compare.png").is_file()
    assert any("Law engine" in line for line in seen)
    return "smaller"


def run_simulate(session: Session, ex: Example) -> str:
    args = _stca_args(ex.command)
    assert args is not None
    args = _option(_option(args, "--runs", "4"), "--workers", "0")
    done = subprocess.run([STCA, *args], cwd=session.cwd, env=session.env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, (ex.block.where, ex.command, done.stderr[-2000:])
    assert ex.expected is None, f"{ex.block.where}: simulations run smaller here, so show no output"
    return "smaller"


def _collect() -> tuple[str, ...]:
    """The test ids of the whole suite, from ``pytest --collect-only -q``."""
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:]
    ids = tuple(line for line in done.stdout.splitlines() if "::" in line)
    assert re.search(rf"\b{len(ids)} tests? collected", done.stdout), done.stdout[-300:]
    return ids


#: The whole suite's test ids: those of this very run when it collected the whole suite (``./run test``:
#: every xdist worker collects all of it), else from a collection of its own (once).
SUITE: list[tuple[str, ...]] = []


def collected() -> tuple[str, ...]:
    if not SUITE:
        SUITE.append(_collect())
    return SUITE[0]


@pytest.fixture(autouse=True, scope="module")
def _this_run_collected_the_suite(request: pytest.FixtureRequest) -> None:
    config = request.config
    whole = (not config.args or [str(Path(a).resolve()) for a in config.args] == [str(ROOT / "tests")]) and not (
        config.option.keyword or config.option.markexpr or config.option.deselect or config.option.ignore)
    if whole and not SUITE:
        SUITE.append(tuple(item.nodeid for item in request.session.items))


def run_validate(session: Session, ex: Example) -> str:
    args = _stca_args(ex.command)
    assert args is not None
    for name, value in (("--runs", "2"), ("--from", "2023-01"), ("--to", "2023-02")):
        args = _option(args, name, value)
    done = subprocess.run([STCA, *args], cwd=session.cwd, env=session.env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, (ex.block.where, ex.command, done.stderr[-2000:])
    assert ex.expected is None, f"{ex.block.where}: validations run smaller here, so show no output"
    return "smaller"


def run_pytest(session: Session, ex: Example) -> str:
    """Not run (this is the suite): its tests are counted from one collection, and a ``# N tests`` comment
    is checked against that count."""
    paths = [a for a in _argv(ex.command) if a.startswith("tests")]
    count = sum(1 for test in collected() if not paths or any(test.startswith(p) for p in paths))
    stated = re.search(r"([\d,]+) tests", ex.comment)
    if stated:
        assert int(stated.group(1).replace(",", "")) == count, (
            f"{ex.block.where}: the comment says {stated.group(1)} tests, pytest collects {count}")
    return "collected"


def run_pybabel(session: Session, ex: Example) -> str:
    """On a copy of the desk's templates and catalogue: the documented commands leave it unchanged."""
    web = session.cwd / "stca" / "desk" / "web"
    if not web.exists():
        shutil.copytree(ROOT / "stca" / "desk" / "web", web)
    done = session.bash(ex.command.replace("/tmp/messages.pot", str(session.cwd / "messages.pot")))
    assert done.returncode == 0 and not done.stdout and not done.stderr, (ex.command, done.stdout, done.stderr)
    catalogue = Path("locale") / "fr" / "LC_MESSAGES" / "messages.po"
    assert (web / catalogue).read_text() == (ROOT / "stca" / "desk" / "web" / catalogue).read_text(), (
        f"{ex.block.where}: {ex.command} changed messages.po although no text changed")
    return "compared"


def run_bench(session: Session, ex: Example) -> str:
    """Not run (minutes of measurement); every option used must be one the benchmark module takes."""
    argv = _argv(ex.command)
    module = argv[2] if argv[:2] == [".venv/bin/python", "-m"] else "benchmarks"
    shown = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0, shown.stderr[-1000:]
    for option in (a for a in argv if a.startswith("--")):
        assert option in shown.stdout, f"{ex.block.where}: {option} is not an option of python -m {module}"
    return "not run"


def run_assign(session: Session, ex: Example) -> str:
    """``NAME=value`` / ``export NAME=value`` in a session: evaluated once, kept for the later commands."""
    name = re.match(r"(?:export )?([A-Za-z_]\w*)=", ex.command)
    assert name, ex.command
    done = session.bash(f'{ex.command}\nprintf %s "${name.group(1)}"')
    assert done.returncode == 0 and done.stdout, (ex.command, done.stderr)
    session.env[name.group(1)] = done.stdout
    assert not ex.expected, f"{ex.block.where}: an assignment prints nothing"
    return "run"


def run_self(session: Session, ex: Example) -> str:
    """``./run test`` is what runs this very test; .ci/run runs it on a fresh clone."""
    return "not run"


def run_plain(session: Session, ex: Example) -> str:
    key = ex.command
    if ex.expected is None and key in session.done:  # the same command twice (e.g. the same synth): once
        return "same"
    done = session.bash(ex.command.replace("./run ", ".venv/bin/stca "))
    session.done[key] = done
    if ex.expected is None:
        assert done.returncode == 0, (ex.block.where, ex.command, done.stderr[-2000:])
        return "run"
    shown = (done.stdout + done.stderr).splitlines()
    assert matches(ex.expected, shown), (ex.block.where, ex.command, "\n".join(shown))
    return "compared"


def _is(pattern: str) -> Callable[[Example], bool]:
    return lambda ex: re.match(pattern, ex.command) is not None


#: Every kind of command the documents may show, and how it is run (first match wins).
KINDS: list[tuple[Callable[[Example], bool], Callable[[Session, Example], str]]] = [
    (_is(r"\./run test\b"), run_self),
    (_is(r"\./run bench\b|\.venv/bin/python -m benchmarks\b"), run_bench),
    (_is(r"\./run demo\b"), run_demo),
    (lambda ex: (_stca_args(ex.command) or [""])[0] == "serve", run_serve),
    (lambda ex: (_stca_args(ex.command) or [""])[0] == "simulate", run_simulate),
    (lambda ex: (_stca_args(ex.command) or [""])[0] == "validate", run_validate),
    (_is(r"(\w+=\S+ )*\.venv/bin/pytest\b"), run_pytest),
    (_is(r"\.venv/bin/pybabel\b"), run_pybabel),
    (lambda ex: _stca_args(ex.command) is not None, run_plain),
    (_is(r"echo '[^']*' \\?\s*\|\s*\.venv/bin/stca \w+"), run_plain),
    (_is(r"\.venv/bin/stca [^|]*\| head -n \d+$"), run_plain),
    (_is(r"mkdir -p [\w/.=\- ]+$"), run_plain),
    (_is(r"(export )?[A-Za-z_]\w*=(\"[^\"]*\"|'[^']*'|\S+)$"), run_assign),
    (_is(r"([A-Z_]+=\S+ )+\.venv/bin/stca \w+"), run_plain),
]


def _kind(ex: Example) -> Callable[[Session, Example], str]:
    for test, run in KINDS:
        if test(ex):
            return run
    raise AssertionError(f"{ex.block.where}: no known way to run {ex.command!r} (add it to KINDS)")


SHELL_EXAMPLES = [ex for b in ALL_BLOCKS if b.lang in SHELL for ex in examples(b)]
PYTHON_BLOCKS = [b for b in ALL_BLOCKS if b.lang == "python"]


def test_every_block_is_an_example_or_plainly_not_one() -> None:
    for b in ALL_BLOCKS:
        assert b.lang in SHELL or b.lang in PLAIN or b.lang == "python", f"{b.where}: unknown block kind {b.lang!r}"
        if b.lang in PLAIN:
            first = b.text.lstrip().split(maxsplit=1)[0] if b.text.strip() else ""
            assert not re.match(r"(\$|>>>|stca$|\./run|\.venv/)", first), (
                f"{b.where}: a command in a block that is not labelled console, bash or python")
        if b.lang == "python":
            assert ">>>" in b.text, f"{b.where}: a Python example must be a doctest (>>> lines) so that it runs"


SHELL_DOCUMENTS = sorted({ex.block.doc for ex in SHELL_EXAMPLES})


@pytest.mark.timeout(900)  # the README's examples include ./run demo and a million cases synthesised and decided
@pytest.mark.parametrize("doc", SHELL_DOCUMENTS, ids=[str(d.relative_to(ROOT)) for d in SHELL_DOCUMENTS])
def test_document_examples_run(doc: Path, tmp_path: Path) -> None:
    """A document's shell examples, in order (a later one may use the files of an earlier one)."""
    session = new_session(tmp_path)
    mine = [ex for ex in SHELL_EXAMPLES if ex.block.doc == doc]
    failures: list[str] = []
    for ex in mine:
        try:
            outcome = _kind(ex)(session, ex)
        except AssertionError as exc:  # go on: one report with every example that fails
            failures.append(f"{ex.block.where}: {ex.command}\n{exc}")
            outcome = "failed"
        session.tally[outcome] += 1
        print(f"{ex.block.where}: {outcome}: {ex.command[:60]}", flush=True)
    assert not failures, "\n\n".join(failures)
    t = session.tally
    print(f"{doc.relative_to(ROOT)}: {len(mine)} examples: {t['compared']} run and compared, "
          f"{t['run'] + t['smaller'] + t['collected']} run without compared output ({t['smaller']} smaller, "
          f"{t['collected']} collected only), {t['same']} repeated (run once), {t['not run']} not run")
    assert sum(t.values()) == len(mine)


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[b.where for b in PYTHON_BLOCKS])
def test_python_examples_are_doctests_that_pass(block: Block, tmp_path: Path) -> None:
    text = block.text.replace(ELLIPSIS, "...")  # the documents' shortening marker, in doctest's spelling
    test = doctest.DocTestParser().get_doctest(text, {}, block.where, str(block.doc), block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        runner.run(test, out=sys.stdout.write)
    finally:
        os.chdir(cwd)
    assert runner.failures == 0 and test.examples, block.where


def test_scenario_counts_in_the_readme_are_the_files() -> None:
    """The README's counts of scenarios are those of spec/cases.yaml and tests/law/reviews/."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    spec = len(yaml.safe_load((SPEC / "cases.yaml").read_text(encoding="utf-8"))["cases"])
    reviews = sum(len(yaml.safe_load(p.read_text(encoding="utf-8"))["cases"])
                  for p in (ROOT / "tests" / "law" / "reviews").glob("*.yaml"))
    assert f"the {spec} scenarios of the specification" in readme
    assert f"{reviews} more scenarios written by four independent reviewers" in readme
