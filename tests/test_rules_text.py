"""Tests for models.rules.text: NFC cleaning, search folding and Vietnamese class-list order."""

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.rules.text import fold, nfc, nfc_raw, split_full_name, vietnamese_sort_key

NFD_NGUYEN = unicodedata.normalize("NFD", "Nguyễn")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", ""),
        ("   ", ""),
        ("  Nguyễn   Văn\tAn \n", "Nguyễn Văn An"),
        ("Trần\u00a0Thị\u2003Bình", "Trần Thị Bình"),  # NBSP and em space from copy-paste
        (NFD_NGUYEN + " An", "Nguyễn An"),
    ],
)
def test_nfc_cleans_names(value: str | None, expected: str | None) -> None:
    result = nfc(value)
    assert result == expected
    if result is not None:
        assert unicodedata.is_normalized("NFC", result)


def test_nfc_raw_only_normalises() -> None:
    value = "  " + NFD_NGUYEN + "   An  "
    assert nfc_raw(value) == "  Nguyễn   An  "
    assert nfc_raw(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG", "dang"),
        ("đỗ thị ĐÀO", "do thi dao"),
        ("  Lê   Ánh\tTuyết ", "le anh tuyet"),
        (NFD_NGUYEN, "nguyen"),
        ("Ưng Hoàng Phúc", "ung hoang phuc"),
        ("Ðoàn", "doan"),  # eth look-alike used for Đ by some legacy converters
        ("H'Hen Niê", "h'hen nie"),
        ("", ""),
    ],
)
def test_fold(value: str, expected: str) -> None:
    assert fold(value) == expected


VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " \t'-0123456789fjwz"),
    max_size=40,
)


@given(vietnamese_text)
def test_fold_of_vietnamese_is_ascii_and_idempotent(value: str) -> None:
    key = fold(value)
    assert key.isascii()
    assert key == key.lower()
    assert fold(key) == key
    assert "  " not in key and key == key.strip()


@given(st.text(max_size=40))
def test_fold_is_idempotent_on_any_text(value: str) -> None:
    assert fold(fold(value)) == fold(value)


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Nguyễn Thị An", ("Nguyễn Thị", "An")),
        ("  Nguyễn   Thị\tAn ", ("Nguyễn Thị", "An")),
        ("Tôn Nữ Thị Ngọc Hân", ("Tôn Nữ Thị Ngọc", "Hân")),
        ("Hoàng Anh", ("Hoàng", "Anh")),
        ("An", ("", "An")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_split_full_name(full_name: str, expected: tuple[str, str]) -> None:
    assert split_full_name(full_name) == expected


def sort_names(names: list[str]) -> list[str]:
    return sorted(names, key=vietnamese_sort_key)


def test_brief_example_order() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Đức", "Phạm Minh Dũng", "Hoàng Anh", "Vũ Ánh"]
    expected = ["Nguyễn Thị An", "Hoàng Anh", "Vũ Ánh", "Trần Văn Bình", "Phạm Minh Dũng", "Lê Văn Đức"]
    assert sort_names(names) == expected
    assert sort_names(list(reversed(names))) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # letter order
        ("Lê An", "Lê Ăn"),
        ("Lê Ăn", "Lê Ân"),
        ("Lê Ân", "Lê Bình"),
        ("Lê Dương", "Lê Đạt"),  # Đ after every D…
        ("Lê Dỹ", "Lê Đa"),
        ("Lê Đức", "Lê Em"),  # … and before E
        ("Lê Em", "Lê Ên"),
        ("Lê Hồ", "Lê Hơ"),  # ô < ơ
        ("Lê Hoa", "Lê Hô"),  # o < ô
        ("Lê Tú", "Lê Tư"),  # u < ư even though ú carries a tone
        ("Lê Vy", "Lê Xuân"),
        ("Lê Xuân", "Lê Yến"),
        ("Lê Hi", "Lê Hy"),
        # base letters first, tone only as a tiebreak for the whole word
        ("Lê Anh", "Lê Ánh"),
        ("Lê Ánh", "Lê Anhh"),
        ("Lê Hà", "Lê Hai"),  # "ha" < "hai" whatever the tones
        # tone order: ngang < huyền < hỏi < ngã < sắc < nặng
        ("Lê Ma", "Lê Mà"),
        ("Lê Mà", "Lê Mả"),
        ("Lê Mả", "Lê Mã"),
        ("Lê Mã", "Lê Má"),
        ("Lê Má", "Lê Mạ"),
        # case-insensitive: the letters decide, not the case
        ("nguyễn thị an", "Lê Bình"),
        ("Lê an", "Lê Anh"),
        # same given name: family name, then middle names, left to right
        ("Lê Văn An", "Nguyễn Thị An"),
        ("Nguyễn Thị An", "Nguyễn Văn An"),
        ("Nguyễn An", "Nguyễn Thị An"),  # no middle name first
        ("Đinh An", "Đỗ An"),
        # given name dominates family name
        ("Vũ An", "An Bình"),
        ("Trần Ba", "Ă Bá"),
    ],
)
def test_pairwise_order(first: str, second: str) -> None:
    assert vietnamese_sort_key(first) < vietnamese_sort_key(second)
    assert sort_names([second, first]) == [first, second]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nguyễn Văn An", "  Nguyễn  Văn An "),
        ("Nguyễn Văn An", unicodedata.normalize("NFD", "Nguyễn Văn An")),
    ],
)
def test_equivalent_spellings_give_equal_keys(a: str, b: str) -> None:
    assert vietnamese_sort_key(a) == vietnamese_sort_key(b)


@pytest.mark.parametrize(("a", "b"), [("Lê Hoà", "Lê Hòa"), ("Lê An", "lê an"), ("Lê Thuỷ", "Lê Thủy")])
def test_spelling_variants_are_adjacent_but_distinct(a: str, b: str) -> None:
    """Old/new tone placement and case tie on letters and tone; the raw name breaks the tie."""
    key_a, key_b = vietnamese_sort_key(a), vietnamese_sort_key(b)
    assert key_a != key_b
    assert key_a[:2] == key_b[:2]


def test_identical_names_need_caller_tiebreak() -> None:
    students = [(3, "Lê Văn An"), (1, "Lê Văn An"), (2, "Hoàng Anh")]
    ordered = sorted(students, key=lambda s: (vietnamese_sort_key(s[1]), s[0]))
    assert ordered == [(1, "Lê Văn An"), (3, "Lê Văn An"), (2, "Hoàng Anh")]


def test_foreign_and_minority_names_sort_sensibly() -> None:
    names = ["Ksor H'Bia", "Nguyễn Zin", "Lê Jenny", "Trần Françoise", "Hà Thị Én", "Phạm Fa", "Y Hoa"]
    assert sort_names(names) == [
        "Hà Thị Én",  # ê < f
        "Phạm Fa",
        "Trần Françoise",  # ç is a c-like letter: after "Fa" on the r
        "Ksor H'Bia",  # Ê Đê given name; the apostrophe sorts before letters
        "Y Hoa",
        "Lê Jenny",
        "Nguyễn Zin",
    ]


def test_empty_name_has_a_key() -> None:
    assert vietnamese_sort_key("") < vietnamese_sort_key("An")


NAME_WORDS = [
    "An", "Ăn", "Ân", "Anh", "Ánh", "Bình", "Dũng", "Dư", "Đức", "Đỗ", "Hoà", "Hòa", "Lê", "lê",
    "Nguyễn", "Thị", "Văn", "Vũ", "Yến", "Ưng", "Ơn", "Ồ", "Ma", "Mà", "Mả", "Mã", "Má", "Mạ",
]  # fmt: skip
names_strategy = st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=4).map(" ".join)


@given(names_strategy, names_strategy)
def test_key_equality_matches_name_equality(a: str, b: str) -> None:
    """A total order on names: equal keys exactly for equal (NFC-cleaned) names."""
    assert (vietnamese_sort_key(a) == vietnamese_sort_key(b)) == (nfc(a) == nfc(b))


@given(names_strategy, names_strategy, names_strategy)
def test_key_order_is_transitive(a: str, b: str, c: str) -> None:
    ka, kb, kc = (vietnamese_sort_key(x) for x in (a, b, c))
    if ka <= kb and kb <= kc:
        assert ka <= kc


@given(st.lists(names_strategy, max_size=12), st.randoms(use_true_random=False))
def test_sort_does_not_depend_on_input_order(names: list[str], rnd: random.Random) -> None:
    shuffled = names[:]
    rnd.shuffle(shuffled)
    assert sort_names(shuffled) == sort_names(names)


@given(names_strategy, names_strategy)
def test_given_name_decides_first(a: str, b: str) -> None:
    given_a, given_b = split_full_name(a)[1], split_full_name(b)[1]
    low_a, low_b = given_a.lower(), given_b.lower()
    if low_a != low_b and low_a.startswith(low_b):
        # b's given name is a strict prefix of a's: b comes first whatever the family names.
        assert vietnamese_sort_key(b) < vietnamese_sort_key(a)


def test_class_names_sort_by_number_then_vietnamese_letters() -> None:
    from models.rules.text import class_name_key

    names = ["6A10", "6A2", "10A1", "6Đ", "6E", "6A1", "6D", "7A1", "6B"]
    assert sorted(names, key=class_name_key) == ["6A1", "6A2", "6A10", "6B", "6D", "6Đ", "6E", "7A1", "10A1"]
    assert class_name_key("6A1") != class_name_key("6a1")
