"""Fixtures for the JupyterLab browser tests: a server on a copy of both editions, and Chromium.

These tests need Debian's ``chromium`` and the ``playwright`` package (the ``browser`` extra),
so they are skipped unless ``--run-browser`` is given: ``make test-browser`` installs both and
runs them. ``make test`` collects and skips them on any laptop.
"""
from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from labrunner import CHROMIUM_ARGS, VIEWPORT, LabServer, find_chapters, stage_chapters

HOW_TO_RUN = "make test-browser  (or: .venv/bin/python -m pytest tests/browser --run-browser)"
# The Korean chapters the browser test runs by default: the first, and chapter 07, whose attention
# heatmaps label Korean words in Hangul.
KOREAN_DEFAULT = ("01_structure", "07_transformer")
_RUNS = pytest.StashKey[list]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("browser", "the chapters in JupyterLab in headless Chromium (tests/browser)")
    group.addoption("--run-browser", action="store_true", default=False,
                    help="run the JupyterLab browser tests (skipped otherwise)")
    group.addoption("--chromium", default="/usr/bin/chromium",
                    help="the system Chromium to drive (default: %(default)s, Debian's chromium package)")
    group.addoption("--chapters-dir", default=None,
                    help="folder of NN_name.ipynb notebooks to run (default: chapters/ at the root)")
    group.addoption("--korean-chapters", default=",".join(KOREAN_DEFAULT),
                    help="Korean chapters (ko/chapters/NN_name.ipynb) to run, comma-separated stems, "
                         "'all' or 'none' (default: %(default)s: the first, and the one with Hangul figures)")
    group.addoption("--browser-timeout", type=float, default=180.0,
                    help="seconds Run All may take per notebook (default: %(default)s)")
    group.addoption("--screenshots-dir", default=None,
                    help="where each chapter's screenshot goes (default: build/screenshots/ at the root)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs JupyterLab in headless Chromium (needs --run-browser)")
    config.stash[_RUNS] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("run_browser", default=False):
        return
    skip = pytest.mark.skip(reason=f"JupyterLab browser test; to run it: {HOW_TO_RUN}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per chapter, found when the tests are collected (chapters come and go)."""
    if "chapter" in metafunc.fixturenames:
        folder = chapters_dir(metafunc.config)
        chapters = find_chapters(folder)
        params = [pytest.param(c, id=c.stem) for c in chapters] or [pytest.param(folder, id="no-chapters")]
        metafunc.parametrize("chapter", params)
    if "korean_chapter" in metafunc.fixturenames:
        folder = korean_dir(metafunc.config)
        wanted = metafunc.config.getoption("korean_chapters", default="none").strip()
        if wanted == "all":
            chapters = find_chapters(folder)
        elif wanted in ("", "none"):
            chapters = []
        else:  # named ones, whether built or not: a missing one fails its test ("run make korean")
            chapters = [folder / f"{Path(name.strip()).stem}.ipynb" for name in wanted.split(",") if name.strip()]
        metafunc.parametrize("korean_chapter", [pytest.param(c, id=f"ko-{c.stem}") for c in chapters])


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    runs = config.stash.get(_RUNS, [])
    if runs:
        terminalreporter.write_sep("-", "chapters in JupyterLab (Run All time, cells run, screenshot)")
        for run in runs:
            verdict = "ok" if run.ok else f"{len(run.problems)} problem(s)"
            terminalreporter.write_line(f"{run.notebook:<28} {run.seconds:6.1f} s  {run.executed:>3}/"
                                        f"{run.code_cells:<3} {verdict:<14} {run.screenshot}")


def chapters_dir(config: pytest.Config) -> Path:
    option = config.getoption("chapters_dir", default=None)
    return Path(option).resolve() if option else config.rootpath / "chapters"


def korean_dir(config: pytest.Config) -> Path:
    """The Korean chapters: ko/chapters beside the English chapters' folder."""
    return chapters_dir(config).parent / "ko" / "chapters"


@pytest.fixture(scope="session")
def screenshots_dir(pytestconfig: pytest.Config) -> Path:
    option = pytestconfig.getoption("screenshots_dir", default=None)
    folder = Path(option).resolve() if option else pytestconfig.rootpath / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def record_run(pytestconfig: pytest.Config) -> Any:
    """Call with a chapter's RunResult to have it (and its screenshot) listed at the end of the run."""
    return pytestconfig.stash[_RUNS].append


@pytest.fixture(scope="session")
def lab(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab serving a copy of both editions: ``chapters/`` and ``ko/chapters/`` under its root."""
    source = chapters_dir(pytestconfig)
    if not source.is_dir():
        pytest.fail(f"no chapters folder at {source}")
    root = stage_chapters(source, tmp_path_factory.mktemp("lab-root"))
    korean = korean_dir(pytestconfig)
    if korean.is_dir():
        stage_chapters(korean, root, repo=source.parent)
    server = LabServer(root_dir=root, workdir=tmp_path_factory.mktemp("lab-home"))
    try:
        server.start()
        # The chapters name the kernel "dlbook": it must be this environment's Python.
        argv = server.kernelspec("dlbook")["argv"]
        if Path(argv[0]).parent != Path(sys.executable).parent:
            pytest.fail(f"the server's dlbook kernel runs {argv[0]}, not this environment's "
                        f"{sys.executable}; run `make` to register it")
        server.delete_sessions()
        yield server
    finally:
        try:
            if server.process is not None and server.process.poll() is None:
                server.delete_sessions()
        finally:
            server.stop()


@pytest.fixture(scope="session")
def playwright(pytestconfig: pytest.Config) -> Iterator[Any]:
    """Playwright's sync API, started once (it cannot be started twice in one thread)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser test needs Playwright: `make test-browser` installs it "
                    "(pip install -e '.[browser]'; no `playwright install`, the system Chromium is used)")
    chromium = Path(pytestconfig.getoption("chromium"))
    if not chromium.exists():
        pytest.fail(f"no Chromium at {chromium}: `make test-browser` installs Debian's chromium "
                    "(apt-get, needs root), or pass --chromium=PATH")
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="session")
def browser(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory, playwright: Any) -> Iterator[Any]:
    """Headless system Chromium with a fresh profile (a Playwright persistent context)."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=pytestconfig.getoption("chromium"), headless=True, args=CHROMIUM_ARGS,
        viewport=VIEWPORT)
    try:
        yield context
    finally:
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A new tab for one notebook, closed after it."""
    tab = browser.new_page()
    tab.set_default_timeout(60_000)
    try:
        yield tab
    finally:
        tab.close()
