"""The two editions: how dlbook knows its language, and its message catalog (dlbook/locale/ko.po)."""
from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import polib
import pytest

import dlbook
from dlbook import i18n
from dlbook.i18n import MARKER_FILE, _, catalog, gettext, language, set_language
from tools import messages


@pytest.fixture
def clean(monkeypatch, tmp_path):
    """No language chosen, no DLBOOK_LANG, a current directory without a marker file; restored after."""
    monkeypatch.delenv("DLBOOK_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    set_language(None)
    yield tmp_path
    set_language(None)


# --- which edition ---------------------------------------------------------------------------------------------
def test_english_when_nothing_says_otherwise(clean):
    assert language() == "en"
    assert i18n.LANGUAGES == ("en", "ko") and MARKER_FILE == ".dlbook-language"


def test_the_marker_file_in_the_current_directory(clean, monkeypatch):
    (clean / MARKER_FILE).write_text("ko\n", encoding="utf-8")
    assert language() == "ko"
    (clean / MARKER_FILE).write_text("  KO  \n# the Korean chapters\n", encoding="utf-8")
    assert language() == "ko"  # the first word counts, in any case
    (clean / MARKER_FILE).write_text("en", encoding="utf-8")
    assert language() == "en"
    # Only the current directory's file counts: a kernel started elsewhere is English.
    elsewhere = clean / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert language() == "en"
    (elsewhere / MARKER_FILE).mkdir()  # not a file: no marker
    assert language() == "en"


def test_the_environment_wins_over_the_marker_file(clean, monkeypatch):
    (clean / MARKER_FILE).write_text("ko", encoding="utf-8")
    monkeypatch.setenv("DLBOOK_LANG", "en")
    assert language() == "en"
    monkeypatch.setenv("DLBOOK_LANG", " Ko ")
    assert language() == "ko"
    monkeypatch.setenv("DLBOOK_LANG", "")  # empty means unset
    assert language() == "ko"


def test_set_language_wins_over_everything_and_none_detects_again(clean, monkeypatch):
    (clean / MARKER_FILE).write_text("ko", encoding="utf-8")
    monkeypatch.setenv("DLBOOK_LANG", "ko")
    set_language("en")
    assert language() == "en"
    set_language("KO")
    assert language() == "ko"
    monkeypatch.setenv("DLBOOK_LANG", "en")
    set_language(None)
    assert language() == "en"


@pytest.mark.parametrize("bad", ["fr", "", "korean", "en-US"])
def test_set_language_rejects_an_unknown_language(clean, bad):
    with pytest.raises(ValueError, match=r"set_language: expected one of 'en', 'ko', got '"):
        set_language(bad)
    assert language() == "en"  # nothing changed


@pytest.mark.parametrize("bad", [1, b"ko", ["ko"], True])
def test_set_language_rejects_a_non_string(clean, bad):
    with pytest.raises(TypeError, match=f"lang must be a str or None, got {type(bad).__name__}"):
        set_language(bad)


def test_a_bad_environment_value_is_named(clean, monkeypatch):
    monkeypatch.setenv("DLBOOK_LANG", "jp")
    with pytest.raises(ValueError, match=r"DLBOOK_LANG: expected one of 'en', 'ko', got 'jp'"):
        language()


@pytest.mark.parametrize("content", ["fr\n", "", "\n\n"])
def test_a_bad_marker_file_is_named_without_its_path(clean, content):
    (clean / MARKER_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        language()
    message = str(info.value)
    assert message.startswith(f"{MARKER_FILE} in the current directory: expected one of 'en', 'ko', got ")
    assert str(clean) not in message


# --- looking messages up ---------------------------------------------------------------------------------------
def test_english_returns_the_message_itself(clean):
    assert _ is gettext
    assert _("Hint: {hint}") == "Hint: {hint}"
    assert _("a message nobody translated") == "a message nobody translated"
    assert catalog("en") == {}


def test_korean_looks_the_message_up_and_falls_back_to_english(clean):
    set_language("ko")
    korean = catalog("ko")
    assert korean and all(isinstance(k, str) and v for k, v in korean.items())
    message = next(iter(korean))
    assert _(message) == korean[message] != message
    assert _("a message nobody translated") == "a message nobody translated"


def test_lookups_reject_bad_arguments(clean):
    with pytest.raises(TypeError, match="gettext: message must be a str, got int"):
        _(3)
    with pytest.raises(ValueError, match=r"catalog: expected one of 'en', 'ko', got 'de'"):
        catalog("de")
    with pytest.raises(TypeError, match="catalog: lang must be a str, got NoneType"):
        catalog(None)


# --- the catalog and the code agree ------------------------------------------------------------------------------
def test_every_message_in_the_code_has_a_korean_entry_with_the_same_fields_and_none_is_unused():
    """The AST scan of tools/messages.py: every _()/gettext() call in dlbook has one string literal, its Korean
    entry is translated, not fuzzy, with the same format fields; the catalog holds nothing the code does not use."""
    found = messages.problems()
    assert not found, "\n".join(found[:30]) + "\n(run `python -m tools.messages check`)"
    assert len(messages.messages()) > 500


def test_the_scan_catches_a_computed_message_an_unused_entry_and_a_stale_one(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text('from dlbook.i18n import gettext as _\n\nword = "x"\n'
                                  'print(_("a {n} b").format(n=1), _(word), _(f"no {word}"), _("c"))\n',
                                  encoding="utf-8")
    catalog = tmp_path / "ko.po"
    po = polib.POFile()
    po.append(polib.POEntry(msgid="a {n} b", msgstr="가 {m} 나"))          # a different field
    po.append(polib.POEntry(msgid="c", msgstr="다", flags=["fuzzy"]))       # stale
    po.append(polib.POEntry(msgid="gone", msgstr="사라짐"))                  # no code uses it
    po.save(str(catalog))
    found = "\n".join(messages.problems(package, catalog))
    assert found.count("needs one string literal") == 2
    assert "translation has the fields ['m'], the English ['n']: 'a {n} b'" in found
    assert "marked fuzzy" in found and "'c'" in found
    assert "used by no code: 'gone'" in found
    added, removed = messages.update(package, catalog)
    assert (added, removed) == (0, 1)
    assert {e.msgid: e.msgstr for e in polib.pofile(str(catalog))} == {"a {n} b": "가 {m} 나", "c": "다"}


def _binds_underscore(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.arg) and node.arg == "_":
            return True
    return False


def _calls_underscore(function: ast.AST) -> bool:
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_" for n in ast.walk(function))


def test_no_function_that_translates_also_uses_underscore_as_a_throwaway_name():
    """``for _ in ...`` or ``x, _ = ...`` inside a function that calls _() would shadow the lookup."""
    offenders = []
    for path in sorted(Path(dlbook.__file__).parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if _calls_underscore(node) and _binds_underscore(node):
                    offenders.append(f"{path.name}:{node.lineno}")
        module_level = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.ImportFrom))]
        if path.name != "i18n.py" and any(_binds_underscore(n) for n in module_level):  # i18n defines _
            offenders.append(f"{path.name}: module level")
    assert not offenders, offenders


# --- the Korean edition's exercise feedback ------------------------------------------------------------------------
HANGUL = re.compile("[\uac00-\ud7a3]")
FIELD = re.compile(r"\{[^{}]*\}")


def _english_fragments() -> list[str]:
    """The English text of every translated message (the parts between its fields), where it has words."""
    fragments = set()
    for english, korean in catalog("ko").items():
        if korean == english:
            continue
        for part in FIELD.split(english):
            part = part.strip(" .;:,()\n")
            if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2:
                fragments.add(part)
    return sorted(fragments)


def _korean_feedback(check, answer):
    set_language("en")
    english = check(answer)
    set_language("ko")
    korean = check(answer)
    return english, korean


def _assert_korean(english, korean, fragments):
    text = repr(korean)
    assert korean.passed is english.passed
    assert HANGUL.search(text), text
    left = [f for f in fragments if f in text]
    assert not left, f"English left in the Korean feedback: {left}\n{text}"
    table = catalog("ko")
    # The same case and the same mistake or hint, in Korean.
    case = re.match(r"case '(.*?)': ", english.message)
    if case:
        assert korean.message.startswith(f"케이스 '{table.get(case[1], case[1])}': "), korean.message
    mistake = re.search(r"\nIt looks like (.*)\.\Z", english.message, re.S)
    if mistake:
        assert korean.message.endswith(table[mistake[1]] + "."), korean.message
    hint = re.search(r"\nHint: (.*)\Z", english.message, re.S)
    if hint:
        assert korean.message.endswith(f"\n힌트: {table[hint[1]]}"), korean.message


CHAPTER_TESTS = [importlib.import_module(p.stem) for p in sorted(Path(__file__).parent.glob("test_exercises_*.py"))]
WRONG = [row for module in CHAPTER_TESTS for row in module.WRONG]
VALUES = [row for module in CHAPTER_TESTS for row in getattr(module, "VALUES", [])]


def test_every_wrong_answer_gets_korean_feedback_naming_the_same_mistake(clean):
    fragments = _english_fragments()
    assert len(fragments) > 300
    for check, wrong, *_rest in WRONG:
        english, korean = _korean_feedback(check, wrong)
        assert english.passed is False
        _assert_korean(english, korean, fragments)
    for check, wrong, _words in VALUES:
        _assert_korean(*_korean_feedback(check, wrong), fragments)


def test_every_right_answer_stub_and_odd_answer_gets_korean_feedback(clean):
    from test_exercises import EXERCISES, ODD_FUNCTIONS, ODD_VALUES, VALUE_CHECKS

    fragments = _english_fragments()

    def stub(*args, **kwargs):
        raise NotImplementedError

    for _key, check, solution in EXERCISES:
        for answer in (solution, stub, 42, lambda *a, **k: 1 / 0, lambda *a, **k: None):
            _assert_korean(*_korean_feedback(check, answer), fragments)
        for answer in ODD_FUNCTIONS[::3] + ODD_VALUES[::5]:
            english, korean = _korean_feedback(check, answer)
            assert korean.passed is english.passed and HANGUL.search(repr(korean))
    for _key, check, _none in VALUE_CHECKS:
        for answer in (None, (64, 10), 650, [64, 10], "64 x 10", 650.0):
            _assert_korean(*_korean_feedback(check, answer), fragments)
    set_language("ko")
    assert repr(EXERCISES[0][1](EXERCISES[0][2])).split("\n")[0].endswith(": ✅ 정답입니다")


def test_dlbooks_printed_explanations_in_korean(clean):
    import numpy as np

    import dlbook as dl
    from dlbook.exercises import show_solution
    from dlbook.perceptron import PerceptronHistory
    from dlbook.solutions import structure as sol

    history = dl.History(steps_per_epoch=2, planned_epochs=1)
    for loss in (1.0, 0.5):
        history.record_step(loss, 0.5, 4)
    history.record_epoch((0.75, 0.5), (0.8, 0.25))
    check = dl.gradcheck(dl.Linear(3, 2, rng=0, dtype=np.float64), np.ones((2, 3)))
    perceptron = PerceptronHistory(converged=False, updates=7, errors=[3, 2])
    english = (history.summary(), repr(check), perceptron.summary(), show_solution(sol.accuracy)._repr_html_())
    assert english[:3] == ("1 epochs, 2 steps, train loss 0.750, train accuracy 50.0 %, val loss 0.800, "
                           "val accuracy 25.0 %", "gradient check passed: 3 array(s), every relative error below 1e-06",
                           "not converged after 2 epochs (7 updates, 2 errors left)")
    set_language("ko")
    korean = (history.summary(), repr(check), perceptron.summary(), show_solution(sol.accuracy)._repr_html_())
    assert korean[:3] == ("에폭 1번, 스텝 2번, 학습 손실 0.750, 학습 정확도 50.0 %, 검증 손실 0.800, 검증 정확도 25.0 %",
                          "기울기 검사 통과: 배열 3개, 모든 상대 오차가 1e-06 미만",
                          "에폭 2번 뒤에도 수렴하지 않음 (업데이트 7번, 남은 오류 2개)")
    assert "(click to open)" in english[3] and "(클릭하면 펼쳐집니다)" in korean[3]
    # Chapter 03 prints the verdict before " (": the Korean keeps that shape.
    assert korean[2].split(" (")[0] == "에폭 2번 뒤에도 수렴하지 않음"
