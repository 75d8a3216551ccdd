"""Render the course, both editions, with their stored outputs and figures, to a static HTML site.

Usage (from the repository root; ``make html`` runs it in the project environment)::

    python -m tools.build_site            # writes build/site/index.html and the rest
    python -m tools.build_site --out DIR

The English edition is at the site's root: ``index.html`` (the README: quick start and
course map), ``glossary.html``, ``contributing.html`` and one page per chapter under
``chapters/``. The Korean edition (한국어판) is under ``ko/``: ``ko/index.html`` (ko/README.md),
``ko/glossary.html`` (the same bilingual glossary) and ``ko/chapters/``, from the built Korean
notebooks. Every page has a language switch to the same page of the other edition (to its
course map where that edition lacks the page). Chapters are rendered by nbconvert as stored
(nothing is re-executed). Links between pages are rewritten from ``.ipynb``/``.md`` to the
``.html`` pages of the page's own edition; ``img/`` is copied once.
"""
from __future__ import annotations

import argparse
import html
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = Path(__file__).resolve().parent.parent
_HREF = re.compile(r'(href|src)="([^"#?]+)((?:[#?][^"]*)?)"')


@dataclass(frozen=True)
class Edition:
    """One edition of the course: where its sources are and where its pages go in the site."""

    lang: str
    name: str           # what the language switch calls it, in its own language
    folder: str         # the edition's folder in the repository and in the site ("" or "ko")
    markdown: dict[str, str]  # markdown source (repository path) -> page (site path)
    labels: dict[str, str]    # nav labels

    @property
    def chapters_dir(self) -> str:
        return posixpath.join(self.folder, "chapters") if self.folder else "chapters"

    @property
    def index(self) -> str:
        return posixpath.join(self.folder, "index.html") if self.folder else "index.html"


ENGLISH = Edition("en", "English", "", {"README.md": "index.html", "GLOSSARY.md": "glossary.html",
                                        "CONTRIBUTING.md": "contributing.html"},
                  {"map": "Course map", "glossary": "Glossary"})
KOREAN = Edition("ko", "한국어", "ko", {"ko/README.md": "ko/index.html", "GLOSSARY.md": "ko/glossary.html"},
                 {"map": "목차", "glossary": "용어집"})
EDITIONS = (ENGLISH, KOREAN)


def chapter_paths(root: Path = ROOT, edition: Edition = ENGLISH) -> list[Path]:
    """An edition's chapter notebooks, in course order."""
    return sorted((root / edition.chapters_dir).glob("[0-9][0-9]_*.ipynb"))


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _site_path(repo_path: str, edition: Edition) -> str:
    """Where a repository file is published, seen from a page of ``edition``.

    A markdown page the edition has goes to its page (GLOSSARY.md from a Korean page is
    ko/glossary.html), one it lacks to the English page; a notebook to its ``.html``; any
    other file (a figure) stays where it is.
    """
    if repo_path in edition.markdown:
        return edition.markdown[repo_path]
    if repo_path in ENGLISH.markdown:
        return ENGLISH.markdown[repo_path]
    if repo_path in KOREAN.markdown:
        return KOREAN.markdown[repo_path]
    if repo_path.endswith(".ipynb"):
        return repo_path[: -len(".ipynb")] + ".html"
    return repo_path


def _rewrite_links(page_html: str, page_dir: str, source_dir: str | None = None,
                   edition: Edition = ENGLISH) -> str:
    """Point links at the site's pages: X.ipynb -> X.html, README.md -> index.html, ...

    ``source_dir`` is the folder of the page's source in the repository (links are written
    relative to it), ``page_dir`` the page's folder in the site; they differ only for the
    Korean glossary page (GLOSSARY.md published as ko/glossary.html).
    """
    source_dir = page_dir if source_dir is None else source_dir

    def fix(match: re.Match) -> str:
        attr, target, rest = match.groups()
        if re.match(r"^[a-z]+:", target) or target.startswith("/"):
            return match.group(0)  # absolute URLs (https:, data:, mailto:) stay as they are
        published = _site_path(_normalise(posixpath.join(source_dir, target)), edition)
        return f'{attr}="{posixpath.relpath(published, page_dir or ".")}{rest}"'

    return _HREF.sub(fix, page_html)


def _counterpart(site_page: str, out: Path) -> str:
    """The same page in the other edition (site path), or that edition's course map."""
    if site_page.startswith("ko/"):
        other, page = ENGLISH, site_page[len("ko/"):]
    else:
        other, page = KOREAN, posixpath.join("ko", site_page)
    return page if (out / page).is_file() else other.index


def _label(nb: Path, edition: Edition) -> str:
    """A chapter's name in the nav: "01 structure"; in Korean its title, "01 · 딥러닝 구조 이해".

    The Korean title is the notebook's heading up to the English after " — ".
    """
    if edition is not ENGLISH:
        cells = nbformat.read(nb, as_version=4).cells
        first = cells[0]["source"].lstrip() if cells and cells[0]["cell_type"] == "markdown" else ""
        if first.startswith("# "):
            title = first[2:].splitlines()[0].split(" — ")[0].strip()
            if title:
                return title
    return nb.stem.replace("_", " ", 1)


def _nav(page: str, edition: Edition, chapters: list[Path], switch: str, current: str | None = None) -> str:
    """The bar on top of every page: course map, glossary, the chapters, and the language switch."""
    page_dir = posixpath.dirname(page)

    def href(site_path: str) -> str:
        return posixpath.relpath(site_path, page_dir or ".")

    labels = edition.labels
    links = [f'<a href="{href(edition.index)}">{labels["map"]}</a>',
             f'<a href="{href(edition.markdown["GLOSSARY.md"])}">{labels["glossary"]}</a>']
    for nb in chapters:
        label = _label(nb, edition)
        style = ' style="font-weight:bold"' if nb.stem == current else ""
        target = posixpath.join(edition.chapters_dir, f"{nb.stem}.html")
        links.append(f'<a href="{href(target)}"{style}>{html.escape(label)}</a>')
    other = KOREAN if edition is ENGLISH else ENGLISH
    language = (f'<a class="language-switch" href="{href(switch)}" hreflang="{other.lang}" lang="{other.lang}" '
                f'style="float:right">{other.name}</a>')
    return ('<nav style="font-family:sans-serif;padding:8px;border-bottom:1px solid #ccc">'
            + language + " · ".join(links) + "</nav>")


def _markdown_page(body: str, title: str, nav: str, lang: str = "en") -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            "<style>body{max-width:60em;margin:auto;font-family:sans-serif;line-height:1.5;padding:0 1em}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
            "pre{background:#f6f8fa;padding:8px;overflow-x:auto}</style></head>"
            f"<body>{nav}\n{body}</body></html>\n")


def _pages(root: Path, edition: Edition) -> list[tuple[str, Path | None, Path | None]]:
    """(site path, markdown source, notebook) of every page the edition has in ``root``."""
    pages: list[tuple[str, Path | None, Path | None]] = []
    for source, page in edition.markdown.items():
        if (root / source).exists():
            pages.append((page, root / source, None))
    for nb in chapter_paths(root, edition):
        pages.append((posixpath.join(edition.chapters_dir, f"{nb.stem}.html"), None, nb))
    return pages


def build(out: Path, root: Path = ROOT) -> list[Path]:
    """Write the site into ``out`` (emptied first); return the pages written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    planned = [(edition, _pages(root, edition)) for edition in EDITIONS]
    # The language switch needs to know which pages exist before any is written.
    for _, pages in planned:
        for page, _, _ in pages:
            (out / page).parent.mkdir(parents=True, exist_ok=True)
            (out / page).touch()
    exporter = HTMLExporter(template_name="lab")
    written: list[Path] = []
    for edition, pages in planned:
        chapters = chapter_paths(root, edition)
        for page, source, nb_path in pages:
            page_dir = posixpath.dirname(page)
            switch = _counterpart(page, out)
            if source is not None:
                source_dir = posixpath.dirname(source.relative_to(root).as_posix())
                title = "dlbook" + ("" if edition is ENGLISH else " 한국어판") + f": {source.stem.lower()}"
                body = _rewrite_links(markdown2html_mistune(source.read_text(encoding="utf-8")),
                                      page_dir, source_dir, edition)
                text = _markdown_page(body, title, _nav(page, edition, chapters, switch), edition.lang)
            else:
                body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
                body = _rewrite_links(body, page_dir, page_dir, edition)
                i = chapters.index(nb_path)
                prev_next = []
                if i > 0:
                    prev_next.append(f'<a href="{chapters[i - 1].stem}.html">← {chapters[i - 1].stem}</a>')
                if i + 1 < len(chapters):
                    prev_next.append(f'<a href="{chapters[i + 1].stem}.html">{chapters[i + 1].stem} →</a>')
                nav = (_nav(page, edition, chapters, switch, nb_path.stem)
                       + '<p style="font-family:sans-serif">' + " | ".join(prev_next) + "</p>")
                body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
                # nbconvert's template writes <html lang="en"> (7.2 and later) or a bare <html> (7.1)
                text = re.sub(r"<html\b[^>]*>", f'<html lang="{edition.lang}">', body, count=1)
            (out / page).write_text(text, encoding="utf-8")
            written.append(out / page)
    if (root / "img").is_dir():
        shutil.copytree(root / "img", out / "img")
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="output folder (emptied first)")
    args = parser.parse_args(argv)
    pages = build(args.out)
    korean = sum(p.is_relative_to(args.out / "ko") for p in pages)
    where = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"{len(pages)} pages written ({korean} of them Korean); open {where}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
