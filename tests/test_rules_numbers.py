"""Numbers and sizes written the Vietnamese way."""
import pytest

from models.rules.numbers import format_count, format_size


@pytest.mark.parametrize("number, text", [(0, "0"), (300, "300"), (1703, "1.703"), (3_000_000, "3.000.000")])
def test_count_has_a_dot_between_thousands(number, text):
    assert format_count(number) == text


@pytest.mark.parametrize("size, text", [
    (0, "0 byte"), (900, "900 byte"), (1024, "1 KB"), (1500, "2 KB"),
    (int(4.3 * 1024 * 1024), "4,3 MB"), (1024 ** 2, "1,0 MB"), (int(1.25 * 1024 ** 3), "1,2 GB"),
])
def test_size_has_a_decimal_comma(size, text):
    assert format_size(size) == text
