"""Clean text and refs in one form (issue 16 item 5), as pure rules."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore.domain.errors import InputError
from fundcore.domain.refs import check_ref, normalise_ref
from fundcore.domain.text import REFUSED, check_text

refused_chars = st.characters(categories=tuple(REFUSED))  # type: ignore[arg-type]
kept_chars = st.characters(
    blacklist_categories=(*REFUSED, "Cn", "Co", "Zs"),  # type: ignore[arg-type]
)


@given(st.text(kept_chars, max_size=20), refused_chars, st.text(kept_chars, max_size=20))
def test_any_refused_character_is_named_with_its_code_point(
    before: str, bad: str, after: str
) -> None:
    with pytest.raises(InputError) as err:
        check_text("memo", before + bad + after)
    assert err.value.code == "text.bad_char"
    first = next(i for i, c in enumerate(before + bad, 1) if unicodedata.category(c) in REFUSED)
    assert err.value.params["position"] == first
    assert err.value.params["char"] == f"U+{ord((before + bad)[first - 1]):04X}"


@given(st.text(kept_chars, max_size=40))
def test_text_without_refused_characters_passes_unchanged(value: str) -> None:
    assert check_text("name", value) == value


@given(st.text(st.characters(categories=("Lu", "Ll", "Nd", "Pd")), min_size=1, max_size=30))
def test_normalising_a_ref_is_idempotent(ref: str) -> None:
    once = normalise_ref(ref)
    assert normalise_ref(once) == once


@pytest.mark.parametrize("typed", ["DUP-1", "dup-1", "ＤＵＰ-1", " Dup-1\u3000", "ｄｕｐ－1"])
def test_one_ref_however_typed(typed: str) -> None:
    assert check_ref(typed) == "DUP-1"


def test_a_ref_given_blank_is_refused_even_when_optional() -> None:
    assert check_ref(None, required=False) is None
    for blank in ("", "  ", "\u3000"):
        with pytest.raises(InputError) as err:
            check_ref(blank, required=False)
        assert err.value.code == "ref.needed"
