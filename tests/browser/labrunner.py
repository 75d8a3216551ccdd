"""Run a notebook in a real JupyterLab, in headless Chromium driven by Playwright.

The steps follow ``shared/notes/notebook-testing.md``, where each was tried by experiment:

* :class:`LabServer` starts ``jupyter lab`` on 127.0.0.1 with a token and a free port, on a
  copy of the chapters (autosave would rewrite the stored notebooks), waits for
  ``/api/status``, deletes kernels through the REST API and stops the server by its PID.
* :func:`run_notebook` opens one notebook, clears its outputs (Edit > Clear Outputs of All
  Cells), runs it (Run > Run All Cells), waits until the kernel is idle and no cell is
  queued or running, then reads every cell's state and outputs from the notebook *model*
  (``window.jupyterapp``): the DOM renders error outputs with the stderr mime type, so
  counting in the DOM would mix the two.

Playwright is imported by the caller (the fixtures), never here, so this module imports
on a machine without it and ``make test`` can collect the browser tests and skip them.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Chromium in a container: no sandbox, no GPU, and no background traffic (the machine has no internet).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1800}
KERNEL_IDLE = '.jp-Notebook-ExecutionIndicator[data-status="idle"]'
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"
# A relative link or image that leaves the chapters folder: ../GLOSSARY.md, ../img/x.png, and from
# ko/chapters ../../GLOSSARY.md
_PARENT_REF = re.compile(r"((?:\.\./)+)([A-Za-z0-9_.\-/]+)")

# Variables the tests and `make notebooks` set for reproducible stored outputs
# (tools/notebook_env.py). A learner's JupyterLab has none of them, so neither has this one:
# without DLBOOK_STATIC_PLOTS the live plotting code paths run, which is the point of the test.
LEARNER_UNSET = ("PYTHONHASHSEED", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                 "DLBOOK_STATIC_PLOTS")

# One snapshot of the open notebook, read from its model: every cell with its prompt state and outputs.
_SNAPSHOT_JS = """() => {
  const app = window.jupyterapp;
  const widget = app && app.shell.currentWidget;
  if (!widget || !widget.content || !widget.content.model) return null;
  const model = widget.content.model, cells = [];
  for (let i = 0; i < model.cells.length; i++) {
    const c = model.cells.get(i);
    const cell = {index: i, type: c.type, source: c.sharedModel.getSource(), outputs: []};
    if (c.type === 'code') {
      cell.count = c.executionCount;
      cell.state = c.executionState || 'idle';
      for (let j = 0; j < c.outputs.length; j++) {
        const o = c.outputs.get(j).toJSON();
        cell.outputs.push({type: o.output_type, name: o.name || null, ename: o.ename || null,
                           evalue: o.evalue || null,
                           text: Array.isArray(o.text) ? o.text.join('') : (o.text || null)});
      }
    }
    cells.push(cell);
  }
  const dialog = document.querySelector('.jp-Dialog');
  return {cells: cells, idle: document.querySelector('%s') !== null,
          dialog: dialog ? dialog.innerText.replace(/\\s+/g, ' ').trim() : null};
}""" % KERNEL_IDLE

# The notebook's kernel once connected and idle ({kernel: name}), or a dialog JupyterLab opened instead
# ({dialog: text}, e.g. "Select Kernel" for an unknown kernelspec), else null. The indicator alone can
# show "idle" a moment before the session exists: Run All then opens a "Select Kernel" dialog.
_KERNEL_READY_JS = """() => {
  const dialog = document.querySelector('.jp-Dialog');
  if (dialog) return {dialog: dialog.innerText.replace(/\\s+/g, ' ').trim()};
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k && k.connectionStatus === 'connected' && k.status === 'idle'
         && document.querySelector('%s') !== null ? {kernel: k.name} : null;
}""" % KERNEL_IDLE

# Finished: some code cell ran, none is queued or running ("[*]"), and the kernel reports idle.
_FINISHED_JS = """() => {
  const s = (%s)();
  if (s && s.dialog) return true;  // nothing runs while a dialog waits for an answer: report it
  if (!s || !s.idle) return false;
  const code = s.cells.filter(c => c.type === 'code');
  return code.some(c => c.count !== null) && !code.some(c => c.state === 'running');
}""" % _SNAPSHOT_JS

_CLEARED_JS = """() => {
  const s = (%s)();
  return s !== null && s.cells.every(c => c.type !== 'code' || (c.count === null && c.outputs.length === 0));
}""" % _SNAPSHOT_JS


# Whether the notebook's text font draws Hangul: "한국어" drawn on a canvas in the font of the rendered
# markdown must differ from three code points no font has (U+10FFFD, drawn as missing-glyph boxes).
_HANGUL_JS = """() => {
  const node = document.querySelector('.jp-RenderedMarkdown') || document.body;
  const style = getComputedStyle(node);
  const canvas = document.createElement('canvas');
  canvas.width = 240; canvas.height = 60;
  const ctx = canvas.getContext('2d');
  const draw = (text) => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = '32px ' + style.fontFamily;
    ctx.fillStyle = '#000';
    ctx.fillText(text, 4, 44);
    return Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data);
  };
  const hangul = draw('한국어'), boxes = draw('\\u{10FFFD}\\u{10FFFD}\\u{10FFFD}');
  return {font: style.fontFamily, inked: hangul.some(v => v !== 0),
          differs: hangul.some((v, i) => v !== boxes[i])};
}"""


def hangul_renders(page: Any) -> dict[str, Any]:
    """In the open page: ``{"font": ..., "inked": bool, "differs": bool}`` for Hangul in the text font.

    ``differs`` is False when the browser draws Hangul as the same empty boxes as characters
    no font has, which is what a machine without a Korean font (fonts-nanum) shows.
    """
    return page.evaluate(_HANGUL_JS)


# --- the server --------------------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (bind port 0, let the OS choose)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_chapters(folder: Path) -> list[Path]:
    """The chapter notebooks ``NN_name.ipynb`` in ``folder``, in course order."""
    return sorted(folder.glob(CHAPTER_GLOB))


def parent_references(notebook: Path, repo: Path | None = None) -> set[str]:
    """Paths in ``repo`` a notebook links to outside its folder, relative to ``repo``.

    ``repo`` defaults to the folder above the notebook's: ``chapters/x.ipynb`` linking
    ``../GLOSSARY.md`` gives ``GLOSSARY.md``, as does ``ko/chapters/x.ipynb`` linking
    ``../../GLOSSARY.md`` with the repository as ``repo``. Paths outside ``repo`` are left out.
    """
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError):  # not a notebook (yet): its own test reports it, not the staging
        return set()
    repo = notebook.parent.parent if repo is None else repo
    folder = notebook.parent.resolve().relative_to(repo.resolve()).as_posix()
    refs = set()
    for cell in cells:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for ups, rest in _PARENT_REF.findall(source):
            refs.add(os.path.normpath(os.path.join(folder, ups, rest.rstrip("."))))
    return {r for r in refs if ".." not in Path(r).parts}  # stay inside the repository


def stage_chapters(chapters: Path, root: Path, repo: Path | None = None) -> Path:
    """Copy the folder ``chapters`` into ``root``, with what its notebooks link to with ``../``.

    The copy keeps its place under ``repo`` (by default the folder above ``chapters``):
    ``repo/ko/chapters`` goes to ``root/ko/chapters``, its hidden files (``.dlbook-language``)
    included. JupyterLab autosaves open notebooks, so the server must never see the stored
    ones. Returns ``root``, the folder to serve.
    """
    repo = chapters.parent if repo is None else repo
    target = root / chapters.resolve().relative_to(repo.resolve())
    shutil.copytree(chapters, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for ref in sorted(set().union(*(parent_references(nb, repo) for nb in find_chapters(chapters)))):
        source = repo / ref
        if source.is_file():
            (root / ref).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / ref)
        elif source.is_dir() and not (root / ref).exists():
            shutil.copytree(source, root / ref)
        elif source.parent.is_dir():  # a file a notebook writes (fig.savefig("../img/x.png")): its folder
            (root / ref).parent.mkdir(parents=True, exist_ok=True)
    return root


@dataclass
class LabServer:
    """``jupyter lab`` serving ``root_dir`` on 127.0.0.1, started by :meth:`start`, stopped by :meth:`stop`.

    Jupyter's config, data and runtime folders, JupyterLab's settings and workspaces and IPython's
    profile live in ``workdir``, so the user's own settings and kernels cannot change what the test
    sees. Kernelspecs are still found in the environment that runs the server (``python``), where
    ``make`` registers ``dlbook``: ``.venv/share/jupyter/kernels/dlbook``.
    """

    root_dir: Path
    workdir: Path
    python: str = sys.executable
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "jupyter-lab.log"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in LEARNER_UNSET}
        for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"), ("IPYTHONDIR", "ipython")]:
            env[var] = str(self.workdir / sub)
        env.pop("JUPYTER_PATH", None)
        return env

    def write_settings(self) -> None:
        """JupyterLab settings for the test: never ask about (or fetch) the Jupyter news feed.

        The question is a toast over the notebook's corner: it would hide outputs in the screenshots.
        """
        folder = self.workdir / "lab-settings" / "@jupyterlab" / "apputils-extension"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))

    def command(self) -> list[str]:
        return [
            self.python, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
            "--port-retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}", "--allow-root",
            # window.jupyterapp, read by the test to count error outputs in the notebook model
            "--LabApp.expose_app_in_browser=True",
            # nothing reaches for the internet (no news feed, no update check)
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until ``/api/status`` answers; raise with its log if it does not."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.write_settings()
        self.port = self.port or free_port()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.command(), env=self.environment(), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=self.root_dir)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode} before it "
                                   f"answered; its log:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        self.stop()
        raise TimeoutError(f"jupyter lab did not answer /api/status within {timeout:.0f} s; "
                           f"its log:\n{self.log_tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server by its PID: SIGTERM (it shuts its kernels down), SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def api(self, method: str, path: str, timeout: float = 10.0) -> Any:
        """Call the Jupyter REST API; return the decoded JSON body (None when empty)."""
        request = urllib.request.Request(self.base_url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def delete_sessions(self, path: str | None = None) -> int:
        """Delete the sessions (and so their kernels) of notebook ``path``, or all; return how many.

        Kernels outlive the browser page, so every run starts and ends without one.
        """
        deleted = 0
        for session in self.api("GET", "/api/sessions"):
            if path is None or session["path"] == path:
                self.api("DELETE", f"/api/sessions/{session['id']}")
                deleted += 1
        if path is None:  # a kernel started without a session (none expected, but leave nothing behind)
            for kernel in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
                deleted += 1
        return deleted

    def kernelspec(self, name: str) -> dict[str, Any]:
        """The server's kernelspec ``name`` (its ``kernel.json``); KeyError naming the ones it has."""
        specs = self.api("GET", "/api/kernelspecs")["kernelspecs"]
        if name not in specs:
            raise KeyError(f"the server has no kernel {name!r}; it has {sorted(specs)}")
        return specs[name]["spec"]

    def notebook_url(self, path: str) -> str:
        query = urllib.parse.urlencode({"token": self.token, "reset": ""})
        return f"{self.base_url}/lab/tree/{urllib.parse.quote(path)}?{query}"


# --- one notebook in the browser ---------------------------------------------------------------------
@dataclass
class CellProblem:
    """Something wrong with one code cell after Run All."""

    cell: int  # 1-based position among all the notebook's cells, as a reader counts them
    kind: str  # "error" (an exception), "stderr" (a warning or print to stderr), "still running",
    #            "not run", or "dialog" (JupyterLab asks a question: cell 0, the whole notebook)
    text: str
    source: str  # the cell's first line, so the report says which cell without opening the notebook

    def __str__(self) -> str:
        where = f"cell {self.cell} ({self.source!r})" if self.cell else "notebook"
        return f"{where}: {self.kind}: {self.text}"


@dataclass
class RunResult:
    """What Run All did to one notebook in JupyterLab."""

    notebook: str
    seconds: float
    finished: bool  # False: the timeout struck with a cell still queued or running
    code_cells: int
    executed: int  # code cells with an execution count
    problems: list[CellProblem]
    kernel: str = ""  # the kernelspec the notebook ran on
    screenshot: Path | None = None

    @property
    def errors(self) -> list[CellProblem]:
        return [p for p in self.problems if p.kind == "error"]

    @property
    def ok(self) -> bool:
        return self.finished and not self.problems

    def _outcome(self) -> str:
        if any(p.kind == "dialog" for p in self.problems):
            return "STOPPED BY A DIALOG"
        return "finished" if self.finished else "TIMED OUT"

    def report(self) -> str:
        """A failure message naming the notebook, each bad cell and the screenshot."""
        head = (f"{self.notebook} in JupyterLab ({self.kernel} kernel): "
                f"{self._outcome()} after "
                f"{self.seconds:.0f} s, {self.executed}/{self.code_cells} code cells ran, "
                f"{len(self.errors)} error output(s), {len(self.problems)} problem(s)")
        lines = [head, *(f"  {p}" for p in self.problems)]
        if self.screenshot is not None:
            lines.append(f"  screenshot: {self.screenshot}")
        return "\n".join(lines)


def _first_line(source: str, width: int = 60) -> str:
    line = next((s for s in source.splitlines() if s.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"


def problems_in(snapshot: dict[str, Any]) -> list[CellProblem]:
    """Every error output, stderr output, still-running and unrun code cell in a model snapshot."""
    found = []
    for cell in snapshot["cells"]:
        if cell["type"] != "code":
            continue
        where = dict(cell=cell["index"] + 1, source=_first_line(cell["source"]))
        if cell["state"] == "running":
            found.append(CellProblem(kind="still running", text="queued or running ([*]) at the timeout",
                                     **where))
        for out in cell["outputs"]:
            if out["type"] == "error":
                found.append(CellProblem(kind="error", text=f"{out['ename']}: {out['evalue']}", **where))
            elif out["type"] == "stream" and out["name"] == "stderr":
                found.append(CellProblem(kind="stderr", text=(out["text"] or "").strip()[:300], **where))
    # Run All stops at an error, so later cells not running is expected then; otherwise it is a problem.
    if not any(p.kind == "error" for p in found):
        unrun = [c for c in snapshot["cells"] if c["type"] == "code" and c["source"].strip()
                 and c["count"] is None and c["state"] != "running"]
        found += [CellProblem(cell=c["index"] + 1, source=_first_line(c["source"]), kind="not run",
                              text="no execution count after Run All") for c in unrun]
    return found


def _click_menu(page: Any, menu: str, command: str) -> None:
    page.click(f".lm-MenuBar-item:has-text('{menu}')")
    page.click(f".lm-Menu-item[data-command='{command}']")


def open_notebook(page: Any, server: LabServer, path: str, timeout: float) -> dict[str, str]:
    """Open ``path`` in JupyterLab and wait until its kernel is connected and idle.

    Returns ``{"kernel": name}``, or ``{"dialog": text}`` if JupyterLab asks a question instead.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(server.notebook_url(path), timeout=timeout * 1000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout * 1000)
    try:
        return page.wait_for_function(_KERNEL_READY_JS, timeout=timeout * 1000, polling=200).json_value()
    except PlaywrightTimeout as exc:
        raise TimeoutError(f"{path}: no idle kernel {timeout:.0f} s after opening the notebook") from exc


# How many pixels of the notebook's cells lie below the visible part of its scroll area. Not from
# scrollHeight: JupyterLab pads the end of a notebook by about a screen ("scroll past end").
_HIDDEN_JS = """() => {
  const notebook = window.jupyterapp.shell.currentWidget.content.node;
  const outer = notebook.querySelector('.jp-WindowedPanel-outer') || notebook;
  const cells = notebook.querySelectorAll('.jp-Cell');
  if (!cells.length) return 0;
  const bottom = cells[cells.length - 1].getBoundingClientRect().bottom + outer.scrollTop;
  return Math.ceil(bottom - outer.getBoundingClientRect().top - outer.clientHeight + 24);
}"""


def screenshot_notebook(page: Any, path: Path, max_height: int = 40_000) -> None:
    """Save the whole notebook, top to bottom, as one tall PNG (cut at ``max_height`` pixels).

    The viewport grows by what the notebook scrolls, so every cell is on screen (and painted:
    JupyterLab skips painting cells outside the viewport), then gets its size back.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = size["height"]
    for _ in range(5):  # cells painted for the first time change the notebook's height: repeat
        hidden = page.evaluate(_HIDDEN_JS)
        if abs(hidden) < 8 or (hidden > 0 and height >= max_height):
            break
        height = max(size["height"], min(height + hidden, max_height))
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(700)
    page.evaluate("""() => { const n = window.jupyterapp.shell.currentWidget.content.node;
                             (n.querySelector('.jp-WindowedPanel-outer') || n).scrollTop = 0; }""")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


def run_notebook(page: Any, server: LabServer, path: str, *, timeout: float = 180.0,
                 open_timeout: float = 90.0, screenshot: Path | None = None) -> RunResult:
    """Clear, Run All and inspect notebook ``path`` (relative to the server's root).

    Never raises for what the notebook does (errors, a cell that hangs): the :class:`RunResult`
    says. ``timeout`` bounds Run All; at the timeout the cells still queued or running are
    reported and the kernel is deleted. A screenshot is saved to ``screenshot`` if given.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    name = Path(path).name
    server.delete_sessions(path)
    try:
        opened = open_notebook(page, server, path, open_timeout)
        start = time.monotonic()
        finished = False
        if "kernel" in opened:  # else a dialog waits for an answer: nothing can run, report it below
            _click_menu(page, "Edit", "editmenu:clear-all")
            page.wait_for_function(_CLEARED_JS, timeout=30_000)
            start = time.monotonic()
            _click_menu(page, "Run", "runmenu:run-all")
            try:
                page.wait_for_function(_FINISHED_JS, timeout=timeout * 1000, polling=250)
                finished = True
            except PlaywrightTimeout:
                pass
        seconds = time.monotonic() - start
        page.wait_for_timeout(500)  # let the last outputs paint before the screenshot
        snapshot = page.evaluate(_SNAPSHOT_JS)
        if snapshot is None:
            raise RuntimeError(f"{name}: window.jupyterapp has no open notebook (expose_app_in_browser?)")
        if screenshot is not None:
            screenshot_notebook(page, screenshot)
    finally:
        server.delete_sessions(path)  # stops a cell that never finished, too
    code = [c for c in snapshot["cells"] if c["type"] == "code"]
    problems = problems_in(snapshot)
    if snapshot["dialog"]:
        finished = False
        problems.insert(0, CellProblem(cell=0, source="", kind="dialog", text=snapshot["dialog"]))
    return RunResult(notebook=name, seconds=seconds, finished=finished, code_cells=len(code),
                     executed=sum(c["count"] is not None for c in code), problems=problems,
                     kernel=opened.get("kernel", "no"), screenshot=screenshot)
