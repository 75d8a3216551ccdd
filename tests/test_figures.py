"""`make figures` (tools/make_figures.py): img/ holds exactly its figures, drawn reproducibly by dlbook.

The figures that train a model first (a few seconds each) are drawn by ``make figures``
itself; here they are checked through the library functions they call, on a small model.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

import dlbook as dl
from dlbook import plotting
from tools import make_figures

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "img"
CHEAP = [name for name, spec in make_figures.FIGURES.items() if not spec.trains]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _png_text_keys(data: bytes) -> list[str]:
    """The keywords of a PNG's text chunks (tEXt, zTXt, iTXt), read chunk by chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    keys, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        assert zlib.crc32(kind + body) == crc, f"bad CRC in chunk {kind!r}"
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            keys.append(body.split(b"\0", 1)[0].decode("latin-1"))
        pos += 12 + length
    return keys


# --- img/ and the command's list ---------------------------------------------------------------------


def test_img_holds_exactly_the_figures_of_the_command():
    in_img = {p.name for p in IMG.iterdir()}
    listed = {spec.filename for spec in make_figures.FIGURES.values()}
    assert in_img - listed == set(), "files in img/ that make figures does not draw: delete them or add them"
    assert listed - in_img == set(), "figures missing from img/: run make figures"
    assert make_figures.stale_files(IMG) == []


@pytest.mark.parametrize("name", sorted(make_figures.FIGURES))
def test_committed_figures_carry_no_software_text(name):
    data = (IMG / f"{name}.png").read_bytes()
    assert "Software" not in _png_text_keys(data)


def test_the_readme_figures_are_in_the_list():
    # The figures: the network diagram, activations, dropout masks, norm axes, attention, seq2seq.
    for name in ("network_mlp", "activations", "dropout_masks", "norm_axes", "attention_cross", "seq2seq"):
        assert name in make_figures.FIGURES


def test_chapters_do_not_write_figures():
    for path in sorted((ROOT / "chapters").glob("[0-9]*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                for word in ("savefig", "save_figure", "img/"):
                    assert word not in cell.source, f"{path.name} writes a figure ({word}): make figures does that"


# --- reproducible files --------------------------------------------------------------------------------


def test_cheap_figures_are_byte_identical_on_a_second_run(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    written = make_figures.write_figures(first, CHEAP, log=lambda line: None)
    make_figures.write_figures(second, CHEAP, log=lambda line: None)
    assert [p.name for p in written] == [f"{name}.png" for name in CHEAP]
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    for path in written:
        data = path.read_bytes()
        assert data == (second / path.name).read_bytes(), f"{path.name} differs between two runs"
        assert "Software" not in _png_text_keys(data)


def test_command_line_draws_what_it_is_asked_and_says_so(tmp_path, capsys):
    assert make_figures.main(["--only", "network_mlp,norm_axes", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["network_mlp.png", "norm_axes.png"]
    out = capsys.readouterr().out
    assert "network_mlp.png" in out and "norm_axes.png" in out and "2 figure(s) written" in out
    with pytest.raises(SystemExit):
        make_figures.main(["--only", "no_such_figure", "--out", str(tmp_path)])
    assert "no figure named no_such_figure" in capsys.readouterr().err
    (tmp_path / "old.png").write_bytes(b"")
    assert make_figures.stale_files(tmp_path) == [tmp_path / "old.png"]


def test_save_figure_writes_png_only(tmp_path):
    fig = plotting.draw_network([2, 1])
    assert plotting.save_figure(fig, tmp_path / "net.png") == tmp_path / "net.png"
    with pytest.raises(ValueError, match="PNG"):
        plotting.save_figure(fig, tmp_path / "net.svg")
    with pytest.raises(TypeError, match="Figure"):
        plotting.save_figure("figure", tmp_path / "x.png")
