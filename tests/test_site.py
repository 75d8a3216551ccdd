"""The HTML site: both editions, every chapter a page with a language switch, every link resolves."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from tools import build_site


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.switch: list[str] = []  # the language switch's target
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "a" and "language-switch" in (attributes.get("class") or "").split():
            self.switch.append(attributes.get("href") or "")
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


def test_every_korean_chapter_has_a_page(site):
    english = [nb.stem for nb in build_site.chapter_paths()]
    korean = [nb.stem for nb in build_site.chapter_paths(edition=build_site.KOREAN)]
    assert korean == english, "the Korean edition lacks chapters: run `make korean`"
    for stem in korean:
        assert (site / "ko" / "chapters" / f"{stem}.html").is_file()
    assert (site / "ko" / "index.html").is_file() and (site / "ko" / "glossary.html").is_file()


def test_every_page_has_a_language_switch_to_the_same_page_in_the_other_edition(site):
    for page in site.rglob("*.html"):
        parsed = _parse(page)
        relative = page.relative_to(site).as_posix()
        korean = relative.startswith("ko/")
        assert parsed.lang == ("ko" if korean else "en"), relative
        assert len(parsed.switch) == 1, f"{relative}: {len(parsed.switch)} language switches"
        target = (page.parent / parsed.switch[0]).resolve().relative_to(site.resolve()).as_posix()
        same = relative[len("ko/"):] if korean else f"ko/{relative}"
        if (site / same).is_file():
            assert target == same, f"{relative} switches to {target}, not {same}"
        else:  # a page the other edition lacks (contributing): its course map
            assert target == ("index.html" if korean else "ko/index.html"), relative


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


def _notebook(path: Path, title: str, link: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nSee the [glossary]({link}) and [the next](02_b.ipynb)."),
                nbformat.v4.new_code_cell("1 + 1")]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_korean_pages_link_within_their_edition(tmp_path):
    """Built from a small course: Korean pages reach the Korean glossary, chapters and course map."""
    root = tmp_path / "course"
    (root / "img").mkdir(parents=True)
    (root / "img" / "x.png").write_bytes(b"png")
    (root / "README.md").write_text("# dlbook\n\n[한국어](ko/README.md) [a](chapters/01_a.ipynb)\n", encoding="utf-8")
    (root / "GLOSSARY.md").write_text("# Glossary — 용어집\n\n[README](README.md) [한국어](ko/README.md)\n",
                                      encoding="utf-8")
    (root / "ko").mkdir()
    (root / "ko" / "README.md").write_text(
        "# 한국어판\n\n[English](../README.md) [용어집](../GLOSSARY.md) [가](chapters/01_a.ipynb) "
        "![그림](../img/x.png)\n", encoding="utf-8")
    for stem in ("01_a", "02_b"):
        _notebook(root / "chapters" / f"{stem}.ipynb", f"English {stem}", "../GLOSSARY.md")
    _notebook(root / "ko" / "chapters" / "01_a.ipynb", "한국어 01_a", "../../GLOSSARY.md")  # 02_b not built yet
    out = tmp_path / "site"
    build_site.build(out, root)
    ko_index, ko_chapter = _parse(out / "ko" / "index.html"), _parse(out / "ko" / "chapters" / "01_a.html")
    assert {"../index.html", "glossary.html", "chapters/01_a.html", "../img/x.png"} <= set(ko_index.links)
    assert "../glossary.html" in ko_chapter.links and "../index.html" in ko_chapter.links
    assert ko_chapter.switch == ["../../chapters/01_a.html"]
    assert _parse(out / "chapters" / "01_a.html").switch == ["../ko/chapters/01_a.html"]
    assert _parse(out / "chapters" / "02_b.html").switch == ["../ko/index.html"]  # no Korean page yet
    # the switch, then the Korean nav: course map, glossary, chapters
    assert _parse(out / "ko" / "glossary.html").links[:4] == [
        "../glossary.html", "index.html", "glossary.html", "chapters/01_a.html"]
    assert {"../index.html", "index.html"} <= set(_parse(out / "ko" / "glossary.html").links)
    assert _parse(out / "glossary.html").switch == ["ko/glossary.html"]
