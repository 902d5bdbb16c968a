"""Growth of school-age children: the WHO Reference 2007 for 5–19 years (BMI-for-age, height-for-age).

Pure: reads the LMS tables shipped in ``data/who2007/`` (source and method in its README.md: the WHO's
``anthroplus`` package, de Onis M. et al., Bull World Health Organ 2007;85:660-667).

* age in months may be fractional; l, m, s are interpolated linearly between the whole months around it;
  outside 60–228 months there is no score (``None``).
* z = ((y/m)^l − 1) / (l·s); for BMI-for-age only, beyond ±3 the scale is restricted (the distance
  between SD2 and SD3 is the unit), as the WHO software does.
* z is rounded to 2 decimals (half away from zero, on the decimal value).

Classification (WHO 2007, used by Vietnamese school health): BMI-for-age z < −3 gầy còm nặng, z < −2
gầy còm, −2 ≤ z ≤ +1 bình thường, z > +1 thừa cân, z > +2 béo phì; height-for-age z < −3 thấp còi nặng,
z < −2 thấp còi.
"""

import csv
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

__all__ = [
    "AGE_MAX_MONTHS",
    "AGE_MIN_MONTHS",
    "BOY",
    "GIRL",
    "NUTRITION_LABELS",
    "STUNTING_LABELS",
    "age_in_months",
    "bmi",
    "bmi_for_age_z",
    "height_at_z",
    "height_for_age_z",
    "bmi_at_z",
    "nutrition_status",
    "stunting_status",
]

DATA = Path(__file__).resolve().parent / "data" / "who2007"
BOY, GIRL = 1, 2
AGE_MIN_MONTHS, AGE_MAX_MONTHS = 60, 228
DAYS_PER_MONTH = 30.4375

# codes stored on a check; labels shown to the nurse and parents
SEVERE_THINNESS, THINNESS, NORMAL, OVERWEIGHT, OBESITY = (
    "gay_com_nang", "gay_com", "binh_thuong", "thua_can", "beo_phi")
NUTRITION_LABELS = {
    SEVERE_THINNESS: "Gầy còm nặng",
    THINNESS: "Gầy còm",
    NORMAL: "Bình thường",
    OVERWEIGHT: "Thừa cân",
    OBESITY: "Béo phì",
}
SEVERE_STUNTING, STUNTING, NOT_STUNTED = "thap_coi_nang", "thap_coi", "khong"
STUNTING_LABELS = {
    SEVERE_STUNTING: "Thấp còi nặng",
    STUNTING: "Thấp còi",
    NOT_STUNTED: "Không thấp còi",
}


@cache
def _table(name: str) -> dict[tuple[int, int], tuple[float, float, float]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return {(int(row["sex"]), int(row["age"])): (float(row["l"]), float(row["m"]), float(row["s"]))
                for row in csv.DictReader(handle, delimiter="\t")}


def _lms(name: str, sex: int, age_months: float) -> tuple[float, float, float] | None:
    if sex not in (BOY, GIRL):
        raise ValueError("Giới tính phải là 1 (nam) hoặc 2 (nữ).")
    if age_months is None or not math.isfinite(age_months):
        return None
    if age_months < AGE_MIN_MONTHS or age_months > AGE_MAX_MONTHS:
        return None
    table = _table(name)
    low = math.floor(age_months)
    high = low + 1  # the tables run to 229 months, so 228 has a month above it
    l0, m0, s0 = table[(sex, low)]
    if age_months == low:
        return l0, m0, s0
    l1, m1, s1 = table[(sex, high)]
    frac = age_months - low
    return l0 + frac * (l1 - l0), m0 + frac * (m1 - m0), s0 + frac * (s1 - s0)


def _sd(l: float, m: float, s: float, k: float) -> float:  # noqa: E741 (the WHO's own name)
    return m * (1 + l * s * k) ** (1 / l)


def _z(l: float, m: float, s: float, y: float) -> float:  # noqa: E741
    if l == 0:
        return math.log(y / m) / s
    return ((y / m) ** l - 1) / (l * s)


def _round2(z: float) -> float:
    return float(Decimal(repr(z)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def bmi_for_age_z(sex: int, age_months: float, bmi: float) -> float | None:
    """BMI-for-age z-score (restricted beyond ±3), or None outside 60–228 months or without a BMI."""
    lms = _lms("bfawho2007.txt", sex, age_months)
    if lms is None or bmi is None or not bmi > 0:
        return None
    l, m, s = lms  # noqa: E741
    z = _z(l, m, s, bmi)
    if z > 3:
        sd3, sd2 = _sd(l, m, s, 3), _sd(l, m, s, 2)
        z = 3 + (bmi - sd3) / (sd3 - sd2)
    elif z < -3:
        sd3, sd2 = _sd(l, m, s, -3), _sd(l, m, s, -2)
        z = -3 + (bmi - sd3) / (sd2 - sd3)
    return _round2(z)


def height_for_age_z(sex: int, age_months: float, height_cm: float) -> float | None:
    """Height-for-age z-score, or None outside 60–228 months or without a height."""
    lms = _lms("hfawho2007.txt", sex, age_months)
    if lms is None or height_cm is None or not height_cm > 0:
        return None
    l, m, s = lms  # noqa: E741
    return _round2(_z(l, m, s, height_cm))


def bmi_at_z(sex: int, age_months: float, z: float) -> float | None:
    """The BMI a child of that age has at z (between −3 and +3): the inverse of the LMS formula."""
    lms = _lms("bfawho2007.txt", sex, age_months)
    return None if lms is None else _sd(*lms, z)


def height_at_z(sex: int, age_months: float, z: float) -> float | None:
    """The height (cm) a child of that age has at z."""
    lms = _lms("hfawho2007.txt", sex, age_months)
    return None if lms is None else _sd(*lms, z)


def nutrition_status(z: float | None) -> str | None:
    """The nutritional status code for a BMI-for-age z-score (None without a score)."""
    if z is None:
        return None
    if z < -3:
        return SEVERE_THINNESS
    if z < -2:
        return THINNESS
    if z <= 1:
        return NORMAL
    if z <= 2:
        return OVERWEIGHT
    return OBESITY


def stunting_status(z: float | None) -> str | None:
    """Height-for-age: thấp còi below −2, thấp còi nặng below −3 (None without a score)."""
    if z is None:
        return None
    if z < -3:
        return SEVERE_STUNTING
    if z < -2:
        return STUNTING
    return NOT_STUNTED


def bmi(height_cm: float, weight_kg: float) -> float:
    """Body mass index, kg/m²."""
    metres = height_cm / 100
    return weight_kg / (metres * metres)


def age_in_months(born, on) -> float:
    """Age in months between two dates as the WHO counts it (days / 30.4375)."""
    return (on - born).days / DAYS_PER_MONTH
