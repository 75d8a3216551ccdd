"""Render the course, with its stored outputs and figures, to a static HTML site.

Usage (from the repository root; ``make html`` runs it in the project environment)::

    python -m tools.build_site            # writes build/site/index.html and the rest
    python -m tools.build_site --out DIR

Pages: ``index.html`` (the README: quick start and course map), ``glossary.html``,
``contributing.html`` and one page per chapter under ``chapters/``, rendered by
nbconvert from the notebooks as stored (nothing is re-executed). Links between
them are rewritten from ``.ipynb``/``.md`` to the ``.html`` pages; ``img/`` is copied.
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = Path(__file__).resolve().parent.parent
# Markdown files published as pages: source path -> page path in the site.
MARKDOWN_PAGES = {"README.md": "index.html", "GLOSSARY.md": "glossary.html", "CONTRIBUTING.md": "contributing.html"}

_HREF = re.compile(r'(href|src)="([^"#?]+)((?:[#?][^"]*)?)"')


def chapter_paths(root: Path = ROOT) -> list[Path]:
    """The chapter notebooks, in course order."""
    return sorted((root / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _rewrite_links(page_html: str, page_dir: str) -> str:
    """Point links at the site's pages: X.ipynb -> X.html, README.md -> index.html, ...

    ``page_dir`` is the page's folder inside the site ("" or "chapters"); links are
    resolved against it so that ``../GLOSSARY.md`` from a chapter finds ``glossary.html``.
    """
    def fix(match: re.Match) -> str:
        attr, target, rest = match.groups()
        if re.match(r"^[a-z]+:", target) or target.startswith("/"):
            return match.group(0)  # absolute URLs (https:, data:, mailto:) stay as they are
        if target.endswith(".ipynb"):
            target = target[:-len(".ipynb")] + ".html"
        else:
            resolved = Path(page_dir, target).as_posix()
            normalised = _normalise(resolved)
            if normalised in MARKDOWN_PAGES:
                up = "../" * (page_dir.count("/") + 1) if page_dir else ""
                target = up + MARKDOWN_PAGES[normalised]
        return f'{attr}="{target}{rest}"'

    return _HREF.sub(fix, page_html)


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def _nav(page_dir: str, chapters: list[Path], current: str | None = None) -> str:
    up = "../" if page_dir else ""
    links = [f'<a href="{up}index.html">Course map</a>', f'<a href="{up}glossary.html">Glossary</a>']
    for nb in chapters:
        label = nb.stem.replace("_", " ", 1)
        href = f"{'' if page_dir else 'chapters/'}{nb.stem}.html"
        style = ' style="font-weight:bold"' if nb.stem == current else ""
        links.append(f'<a href="{href}"{style}>{html.escape(label)}</a>')
    return '<nav style="font-family:sans-serif;padding:8px;border-bottom:1px solid #ccc">' + " · ".join(links) + "</nav>"


def _markdown_page(source: Path, title: str, nav: str) -> str:
    body = markdown2html_mistune(source.read_text(encoding="utf-8"))
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            "<style>body{max-width:60em;margin:auto;font-family:sans-serif;line-height:1.5;padding:0 1em}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
            "pre{background:#f6f8fa;padding:8px;overflow-x:auto}</style></head>"
            f"<body>{nav}\n{body}</body></html>\n")


def build(out: Path, root: Path = ROOT) -> list[Path]:
    """Write the site into ``out`` (emptied first); return the pages written."""
    if out.exists():
        shutil.rmtree(out)
    (out / "chapters").mkdir(parents=True)
    chapters = chapter_paths(root)
    pages: list[Path] = []
    for source, page in MARKDOWN_PAGES.items():
        if (root / source).exists():
            text = _markdown_page(root / source, f"dlbook: {Path(source).stem.lower()}", _nav("", chapters))
            (out / page).write_text(_rewrite_links(text, ""), encoding="utf-8")
            pages.append(out / page)
    exporter = HTMLExporter(template_name="lab")
    for i, nb_path in enumerate(chapters):
        body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
        prev_next = []
        if i > 0:
            prev_next.append(f'<a href="{chapters[i - 1].stem}.html">← {chapters[i - 1].stem}</a>')
        if i + 1 < len(chapters):
            prev_next.append(f'<a href="{chapters[i + 1].stem}.html">{chapters[i + 1].stem} →</a>')
        nav = _nav("chapters", chapters, nb_path.stem) + '<p style="font-family:sans-serif">' + " | ".join(prev_next) + "</p>"
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
        page = out / "chapters" / f"{nb_path.stem}.html"
        page.write_text(_rewrite_links(body, "chapters"), encoding="utf-8")
        pages.append(page)
    if (root / "img").is_dir():
        shutil.copytree(root / "img", out / "img")
    return pages


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="output folder (emptied first)")
    args = parser.parse_args(argv)
    pages = build(args.out)
    print(f"{len(pages)} pages written; open {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
