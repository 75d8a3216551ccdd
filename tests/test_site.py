"""The HTML site: every chapter gets a page, and every relative link and anchor resolves."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from tools import build_site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)
            if name in ("id", "name") and value:
                self.ids.add(value)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site.build(out)
    return out


def test_every_chapter_has_a_page(site):
    chapters = build_site.chapter_paths()
    assert chapters, "no chapters found"
    for nb in chapters:
        assert (site / "chapters" / f"{nb.stem}.html").is_file()
    assert (site / "index.html").is_file() and (site / "glossary.html").is_file()


def test_every_relative_link_resolves(site):
    parsed = {page: _parse(page) for page in site.rglob("*.html")}
    broken = []
    for page, links in parsed.items():
        for link in links.links:
            if link.startswith(("http:", "https:", "mailto:", "data:", "javascript:")) or link.startswith("//"):
                continue
            target, _, fragment = link.partition("#")
            path = (page.parent / unquote(target)).resolve() if target else page.resolve()
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {link}")
            # Browsers match the fragment as written, then percent-decoded (nbconvert encodes its ids).
            elif fragment and path.suffix == ".html" and not {fragment, unquote(fragment)} & parsed[path].ids:
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_chapter_pages_link_to_each_other_not_to_notebooks(site):
    for page in (site / "chapters").glob("*.html"):
        links = _parse(page).links
        assert not [x for x in links if x.endswith(".ipynb") or x.endswith(".md")], page.name
