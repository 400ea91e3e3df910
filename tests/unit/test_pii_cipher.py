"""The personal-data cipher (``fundcore.store.pii``) and its key file (``store.pii_key``).

Sealed values open only with their own key and only for the column they were sealed
for; any change to the stored text is refused; keyed hashes are equal exactly for
equal values under one key and differ between keys.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fundcore.domain.errors import FundError
from fundcore.store import pii, pii_key

KEY_A = pii_key.derive(b"a" * 32, Path("a.key"))
KEY_B = pii_key.derive(b"b" * 32, Path("b.key"))
A, B = pii.Cipher(KEY_A), pii.Cipher(KEY_B)
PURPOSE = "applicants.id_number"
values = st.text(min_size=0, max_size=40)


@given(values)
def test_a_sealed_value_opens_to_itself_and_never_shows_it(value: str) -> None:
    token = A.seal(value, PURPOSE)
    assert A.open(token, PURPOSE) == value
    assert token.isascii()
    if len(value.encode()) <= 40:  # what the columns are sized for
        assert len(token) <= pii.SEALED_LENGTH
    if len(value) >= 4:
        assert value not in token


@given(values)
def test_sealing_twice_gives_two_texts(value: str) -> None:
    assert A.seal(value, PURPOSE) != A.seal(value, PURPOSE)


@given(values, st.integers(min_value=3, max_value=60), st.sampled_from("AQZ+/0"))
def test_an_altered_token_is_refused(value: str, at: int, char: str) -> None:
    token = A.seal(value, PURPOSE)
    at = min(at, len(token) - 1)
    altered = token[:at] + char + token[at + 1 :]
    if altered == token:
        return
    with pytest.raises(FundError) as err:
        A.open(altered, PURPOSE)
    assert err.value.code == "pii.undecryptable"


def test_another_key_or_column_or_plain_text_is_refused() -> None:
    token = A.seal("110101199003070011", PURPOSE)
    for cipher, purpose, text in (
        (B, PURPOSE, token),
        (A, "application_employees.id_number", token),
        (A, PURPOSE, "110101199003070011"),
    ):
        with pytest.raises(FundError) as err:
            cipher.open(text, purpose)
        assert err.value.code == "pii.undecryptable"
        assert err.value.params["column"] == purpose


@given(values, values)
def test_keyed_hashes_match_exactly_equal_values_under_one_key(x: str, y: str) -> None:
    assert (A.blind(x) == A.blind(y)) == (x == y)
    assert A.blind(x) != B.blind(x)
    assert len(A.blind(x)) == pii.BLIND_LENGTH


def test_key_file_is_private_made_once_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "fund.db.pii-key"
    pii_key.create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    keys = pii_key.load(path)
    assert keys.seal != keys.lookup and len(keys.seal) == 32
    with pytest.raises(FundError) as err:
        pii_key.create(path)  # never over a key: its data would be lost
    assert err.value.code == "out.exists"
    assert pii_key.load(path) == keys
    path.write_text("fundcore-pii-key-v1 c2hvcnQ=\n", encoding="ascii")
    with pytest.raises(FundError) as err:
        pii_key.load(path)
    assert err.value.code == "pii.key_bad"
    with pytest.raises(FundError) as err:
        pii_key.load(tmp_path / "none")
    assert err.value.code == "pii.key_missing"


def test_where_the_key_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(pii_key.ENV, raising=False)
    assert pii_key.key_path(f"sqlite:///{tmp_path}/fund.db") == tmp_path / "fund.db.pii-key"
    assert pii_key.key_path("postgresql+psycopg://u@h/db") is None
    monkeypatch.setenv(pii_key.ENV, str(tmp_path / "k"))
    assert pii_key.key_path("postgresql+psycopg://u@h/db") == tmp_path / "k"
    with pytest.raises(FundError) as err:
        pii_key.load(None)
    assert err.value.code == "pii.key_unplaced"
