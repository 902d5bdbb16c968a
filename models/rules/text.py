"""Vietnamese text helpers: normalisation, search folding and class-list ordering.

Everything here is pure: no database, no Flask.
"""

import re
import unicodedata
from typing import TypeAlias

__all__ = [
    "class_name_key",
    "fold",
    "nfc",
    "nfc_raw",
    "split_full_name",
    "vietnamese_sort_key",
]


def nfc_raw(value: str | None) -> str | None:
    """Return ``value`` in Unicode NFC, with nothing else changed (``None`` stays ``None``)."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


def nfc(value: str | None) -> str | None:
    """Normalise a name-like value: NFC, surrounding whitespace stripped, inner whitespace runs
    (tabs, newlines, non-breaking spaces...) collapsed to one ASCII space. ``None`` stays ``None``.
    """
    if value is None:
        return None
    return " ".join(unicodedata.normalize("NFC", value).split())


def _strip_marks(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Đ/đ do not decompose in Unicode; Ð/ð (eth) is a frequent look-alike typed or converted for Đ.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(value: str) -> str:
    """Accent- and case-insensitive search key.

    ``fold("Nguyễn Văn An") == "nguyen van an"``, ``fold("ĐẶNG") == "dang"``. Combining marks are
    dropped, đ/Đ become d, the result is lower-case with whitespace collapsed to single spaces.
    Vietnamese text always folds to ASCII; other scripts keep their base letters.
    """
    # Strip marks both before and after lower-casing: lower() can itself produce combining marks
    # ("İ".lower() == "i̇"), and the key must be stable under a second fold.
    text = _strip_marks(value).lower()
    text = _strip_marks(text).translate(_D_MAP)
    return " ".join(text.split())


# --- Vietnamese collation -------------------------------------------------------------------------

# Vietnamese alphabet order; the Latin letters f, j, w, z (foreign and minority-language names) are
# slotted where they sit in the Latin alphabet.
_ALPHABET = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
)  # fmt: skip
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
_LETTER_RANK["ð"] = _LETTER_RANK["đ"]

# Marks that make a different letter (ă, â, ê, ô, ơ, ư) versus tone marks.
_VOWEL_MARKS = frozenset("\u0306\u0302\u031b")  # breve, circumflex, horn
# Dictionary tone order: ngang (no mark) < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}
_NON_LETTER = 0  # digits, hyphens, apostrophes (H'Hen) sort before letters
_OTHER_LETTER = len(_ALPHABET) + 1  # letters of other scripts sort after z

# (letter rank, exact code points for letters outside the Vietnamese alphabet; () otherwise)
_CharKey: TypeAlias = tuple[int, tuple[int, ...]]
_WordKey: TypeAlias = tuple[tuple[_CharKey, ...], tuple[int, ...]]


def _clusters(word: str) -> list[tuple[str, str]]:
    """Split a word into (base character, following combining marks) pairs, lower-cased, NFD."""
    clusters: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", unicodedata.normalize("NFC", word).lower()):
        if unicodedata.combining(ch) and clusters:
            base, marks = clusters[-1]
            clusters[-1] = (base, marks + ch)
        else:
            clusters.append((ch, ""))
    return clusters


def _word_key(word: str) -> _WordKey:
    """Collation key of one word: base letters first, then the tone(s) as a tiebreak."""
    bases: list[_CharKey] = []
    tones: list[int] = []
    for base, marks in _clusters(word):
        vowel_marks = "".join(m for m in marks if m in _VOWEL_MARKS)
        other_marks = "".join(m for m in marks if m not in _VOWEL_MARKS and m not in _TONE_RANK)
        tones.extend(_TONE_RANK[m] for m in marks if m in _TONE_RANK)
        rank = _LETTER_RANK.get(unicodedata.normalize("NFC", base + vowel_marks))
        if rank is not None and not other_marks:
            bases.append((rank, ()))
            continue
        # Not a Vietnamese letter: ç sorts just after c, digits and punctuation before letters,
        # other scripts after z; the exact code points keep distinct characters distinct.
        rank = _LETTER_RANK.get(base)
        if rank is None:
            rank = _OTHER_LETTER if base.isalpha() else _NON_LETTER
        bases.append((rank, tuple(ord(c) for c in base + vowel_marks + other_marks)))
    # Only the order of the tones matters, not which vowel carries them: "Hoà" and "Hòa" tie here.
    return tuple(bases), tuple(tones)


def split_full_name(full_name: str) -> tuple[str, str]:
    """Split a full name into ``(family_and_middle, given)``; the given name is the last word.

    ``split_full_name("Nguyễn Thị An") == ("Nguyễn Thị", "An")``; a one-word name gives
    ``("", word)`` and an empty one ``("", "")``. Whitespace is normalised as in :func:`nfc`.
    """
    words = (nfc(full_name) or "").split(" ")
    if words == [""]:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def vietnamese_sort_key(full_name: str) -> tuple:
    """Sort key for class lists, in the order Vietnamese schools use.

    Names are compared by given name (the last word) first, then by the remaining words (family
    name, then middle names) left to right. Each word is compared case-insensitively by its base
    letters in Vietnamese alphabet order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y),
    and only then by tone (ngang < huyền < hỏi < ngã < sắc < nặng). The last component is the
    NFC-normalised name itself, so the key is a total order: two keys are equal only for names that
    are identical after :func:`nfc`. For such identical names the caller must add its own
    tiebreak (e.g. ``key=lambda s: (vietnamese_sort_key(s.full_name), s.id)``) to get a stable,
    reproducible list.
    """
    normalized = nfc(full_name) or ""
    rest, given = split_full_name(normalized)
    rest_keys = tuple(_word_key(word) for word in rest.split(" ")) if rest else ()
    return (_word_key(given), rest_keys, normalized)


_DIGIT_RUNS_RE = re.compile(r"([0-9]+)")


def class_name_key(name: str) -> tuple:
    """Sort key for class names: digit runs as numbers, letters in Vietnamese order.

    6A2 before 6A10, 6D before 6Đ before 6E; the name itself breaks any remaining tie.
    """
    normalized = nfc(name) or ""
    parts = tuple((0, int(part), ()) if part.isdigit() else (1, 0, _word_key(part))
                  for part in _DIGIT_RUNS_RE.split(normalized) if part)
    return parts, normalized
