"""Every chapter runs in JupyterLab, in a real browser, as a learner would run it.

nbval runs the chapters with ``DLBOOK_STATIC_PLOTS=1`` in a bare kernel; here a real JupyterLab
(without that variable, so the live plotting code runs) gets Run All Cells through its menu in
headless Chromium. A chapter fails on any error output, any output to stderr (a warning), a cell
still queued or running ("[*]") at the timeout, or a code cell Run All left unrun. A screenshot of
each chapter goes to ``build/screenshots/NN_name.png``. Korean chapters (01 and 07 by default,
``--korean-chapters``) run the same way from ``ko/chapters/``, where the kernel speaks Korean, and
fail too if the page draws Hangul as empty boxes; their screenshots go to ``build/screenshots/ko/``.

Skipped unless ``--run-browser``: ``make test-browser`` installs Chromium and Playwright and runs it.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from labrunner import (CHROMIUM_ARGS, LabServer, RunResult, hangul_renders, parent_references, run_notebook,
                       stage_chapters)


@pytest.mark.browser
def test_chapter_runs_in_jupyterlab(chapter: Path, lab: LabServer, page: Any, screenshots_dir: Path,
                                    record_run: Any, pytestconfig: pytest.Config) -> None:
    if chapter.is_dir():
        pytest.fail(f"no chapter notebooks NN_name.ipynb in {chapter}")
    shot = screenshots_dir / f"{chapter.stem}.png"
    result = run_notebook(page, lab, f"{chapter.parent.name}/{chapter.name}",
                          timeout=pytestconfig.getoption("browser_timeout"), screenshot=shot)
    record_run(result)
    print(result.report())
    assert result.ok, result.report()


@pytest.mark.browser
def test_korean_chapter_runs_in_jupyterlab(korean_chapter: Path, lab: LabServer, page: Any,
                                           screenshots_dir: Path, record_run: Any,
                                           pytestconfig: pytest.Config) -> None:
    if not korean_chapter.is_file():
        pytest.fail(f"no Korean chapter {korean_chapter}: build it with `make korean`")
    assert (lab.root_dir / "ko" / "chapters" / ".dlbook-language").read_text().split() == ["ko"]
    shot = screenshots_dir / "ko" / f"{korean_chapter.stem}.png"
    result = run_notebook(page, lab, f"ko/chapters/{korean_chapter.name}",
                          timeout=pytestconfig.getoption("browser_timeout"), screenshot=shot)
    record_run(result)
    print(result.report())
    hangul = hangul_renders(page)
    assert result.ok, result.report()
    assert hangul["inked"] and hangul["differs"], (
        f"Hangul is drawn as empty boxes in {hangul['font']}: install a Korean font (fonts-nanum); "
        f"screenshot: {shot}")


# --- the runner itself can fail ----------------------------------------------------------------------
def _write_notebook(lab: LabServer, name: str, *sources: str, kernel: str = "dlbook") -> str:
    """A notebook under the server's root with a title cell and one code cell per source; its path."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": "Python (dlbook)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}")] + [nbformat.v4.new_code_cell(s) for s in sources]
    path = lab.root_dir / "selftest" / name
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)
    return f"selftest/{name}"


@pytest.mark.browser
def test_runner_reports_an_error_and_stderr(lab: LabServer, page: Any, tmp_path: Path) -> None:
    path = _write_notebook(lab, "broken.ipynb",
                           # the kernel is this environment's Python, without the static-plots switch
                           f"import os, sys\nassert sys.prefix == {sys.prefix!r}, sys.prefix\n"
                           'assert "DLBOOK_STATIC_PLOTS" not in os.environ\n'
                           'print("a warning", file=sys.stderr)',
                           "ratio = 1 / 0",
                           'print("Run All stopped before this cell")')
    result: RunResult = run_notebook(page, lab, path, timeout=60, screenshot=tmp_path / "broken.png")
    assert result.finished and not result.ok
    assert [(p.cell, p.kind) for p in result.problems] == [(2, "stderr"), (3, "error")]
    assert len(result.errors) == 1
    assert result.errors[0].text == "ZeroDivisionError: division by zero"
    assert (result.code_cells, result.executed) == (3, 2)
    report = result.report()
    assert report.startswith("broken.ipynb in JupyterLab (dlbook kernel): finished")
    assert "cell 3 ('ratio = 1 / 0'): error: ZeroDivisionError: division by zero" in report
    assert "cell 2 ('import os, sys'): stderr: a warning" in report


@pytest.mark.browser
def test_runner_reports_a_cell_that_never_finishes(lab: LabServer, page: Any) -> None:
    path = _write_notebook(lab, "hangs.ipynb", "x = 1", "import time\ntime.sleep(600)", "y = 2")
    result = run_notebook(page, lab, path, timeout=8)
    assert not result.finished and not result.ok
    # the sleeping cell and the one queued behind it both show [*]
    assert [(p.cell, p.kind) for p in result.problems] == [(3, "still running"), (4, "still running")]
    assert result.executed == 1
    assert "TIMED OUT" in result.report()
    assert lab.api("GET", "/api/sessions") == []  # its kernel was deleted, so the sleep stops too


@pytest.mark.browser
def test_runner_reports_a_dialog_instead_of_waiting(lab: LabServer, page: Any) -> None:
    path = _write_notebook(lab, "unknown_kernel.ipynb", "x = 1", kernel="no-such-kernel")
    result = run_notebook(page, lab, path, timeout=60)
    assert not result.ok and result.seconds < 5
    assert [(p.cell, p.kind) for p in result.problems] == [(0, "dialog"), (2, "not run")]
    assert "Select Kernel" in result.problems[0].text
    assert "STOPPED BY A DIALOG" in result.report()


@pytest.mark.browser
def test_a_notebook_in_ko_chapters_gets_a_korean_kernel(lab: LabServer, page: Any) -> None:
    """JupyterLab starts the kernel in the notebook's folder, where .dlbook-language says ko."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "dlbook", "display_name": "Python (dlbook)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# 한국어판인지 확인합니다"),
                nbformat.v4.new_code_cell("import os, dlbook.i18n\nprint(dlbook.i18n.language(), os.path.basename(os.getcwd()))")]
    target = lab.root_dir / "ko" / "chapters" / "selftest_language.ipynb"
    if not target.parent.is_dir():
        pytest.fail(f"no ko/chapters in the served copy ({target.parent}): is ko/chapters/ in the repository?")
    nbformat.write(nb, target)
    try:
        result = run_notebook(page, lab, "ko/chapters/selftest_language.ipynb", timeout=60)
        printed = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.model.cells.get(1)
                                        .outputs.get(0).toJSON().text""")
    finally:
        target.unlink()
    assert result.ok, result.report()
    assert "".join(printed).split() == ["ko", "chapters"]
    hangul = hangul_renders(page)
    assert hangul["inked"] and hangul["differs"], f"Hangul drawn as boxes in {hangul['font']}"


@pytest.mark.browser
def test_the_hangul_check_sees_boxes_without_a_korean_font(playwright: Any, pytestconfig: pytest.Config,
                                                          tmp_path: Path) -> None:
    """The same page in a Chromium that may use only DejaVu (no Hangul): the check must fail there."""

    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if not dejavu.is_dir():
        pytest.skip(f"no {dejavu} to build a font set without Hangul from")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{dejavu}</dir>'
                    f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n")
    page_html = '<div class="jp-RenderedMarkdown" style="font-family: sans-serif">한국어</div>'
    seen = {}
    for name, env in (("system fonts", {}), ("DejaVu only", {"FONTCONFIG_FILE": str(conf)})):
        browser = playwright.chromium.launch(executable_path=pytestconfig.getoption("chromium"),
                                             args=CHROMIUM_ARGS, headless=True, env={**os.environ, **env})
        try:
            tab = browser.new_page()
            tab.set_content(page_html)
            seen[name] = hangul_renders(tab)["differs"]
        finally:
            browser.close()
    assert seen == {"system fonts": True, "DejaVu only": False}


# --- no browser needed --------------------------------------------------------------------------------
def test_staged_copy_has_the_chapters_and_what_they_link_to(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "chapters" / ".ipynb_checkpoints").mkdir(parents=True)
    (repo / "img").mkdir()
    (repo / "img" / "net.png").write_bytes(b"png")
    (repo / "GLOSSARY.md").write_text("# Glossary\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
                    "See the [glossary](../GLOSSARY.md) and ![net](../img/net.png). A [missing](../NOPE.md)"
                    " link is skipped, and so is one [outside](../../secret.txt) the repository."),
                nbformat.v4.new_code_cell('fig.savefig("../img/new.png")  # the folder must exist')]
    nbformat.write(nb, repo / "chapters" / "01_intro.ipynb")
    assert parent_references(repo / "chapters" / "01_intro.ipynb") == {
        "GLOSSARY.md", "img/net.png", "NOPE.md", "img/new.png"}

    root = stage_chapters(repo / "chapters", tmp_path / "served")
    served = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert served == ["GLOSSARY.md", "chapters/01_intro.ipynb", "img/net.png"]
    assert json.loads((root / "chapters" / "01_intro.ipynb").read_text()) == json.loads(
        (repo / "chapters" / "01_intro.ipynb").read_text())


def test_staged_korean_copy_keeps_its_place_its_marker_and_what_it_links_to(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "img").mkdir(parents=True)
    (repo / "img" / "net.png").write_bytes(b"png")
    (repo / "GLOSSARY.md").write_text("# Glossary\n")
    korean = repo / "ko" / "chapters"
    korean.mkdir(parents=True)
    (korean / ".dlbook-language").write_text("ko\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(
        "[용어집](../../GLOSSARY.md), ![그림](../../img/net.png), [밖](../../../secret.txt), [README](../README.md)")]
    nbformat.write(nb, korean / "01_intro.ipynb")
    assert parent_references(korean / "01_intro.ipynb", repo) == {"GLOSSARY.md", "img/net.png", "ko/README.md"}
    root = stage_chapters(korean, tmp_path / "served", repo=repo)
    served = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert served == ["GLOSSARY.md", "img/net.png", "ko/chapters/.dlbook-language", "ko/chapters/01_intro.ipynb"]
