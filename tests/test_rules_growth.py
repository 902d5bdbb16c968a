"""WHO 2007 growth reference: z-scores against the WHO software's own examples, and the cut-offs."""
import csv
from datetime import date
from pathlib import Path

import pytest

from models.rules import growth
from models.rules.growth import bmi_for_age_z, height_for_age_z, nutrition_status, stunting_status

EXAMPLES = Path(growth.__file__).resolve().parent / "data" / "who2007" / "zbfa_examples.csv"


def examples():
    with EXAMPLES.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_tables_ship_with_their_source():
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    assert "anthroplus" in readme and "de Onis" in readme
    assert len(growth._table("bfawho2007.txt")) == 2 * (229 - 60 + 1)
    assert len(growth._table("hfawho2007.txt")) == 2 * (229 - 60 + 1)


def test_every_who_example_gives_the_who_z_score():
    rows = examples()
    assert len(rows) >= 390
    wrong = []
    for row in rows:
        z = bmi_for_age_z(int(row["sex"]), float(row["age_months"]), float(row["bmi"]))
        if z is None or abs(z - float(row["zbfa"])) > 1e-9:
            wrong.append((row, z))
    assert wrong == []


def test_the_examples_reach_the_restricted_scale_on_both_sides():
    zs = [float(row["zbfa"]) for row in examples()]
    assert min(zs) < -3 and max(zs) > 3


def test_restricted_scale_beyond_plus_three():
    lam, m, s = growth._table("bfawho2007.txt")[(1, 120)]
    sd2, sd3 = growth._sd(lam, m, s, 2), growth._sd(lam, m, s, 3)
    # one SD2–SD3 distance above SD3 is exactly +4 on the restricted scale (the plain LMS gives less)
    assert bmi_for_age_z(1, 120, sd3 + (sd3 - sd2)) == 4.0
    assert growth._z(lam, m, s, sd3 + (sd3 - sd2)) < 3.9


def test_restricted_scale_below_minus_three():
    lam, m, s = growth._table("bfawho2007.txt")[(2, 150)]
    sdm2, sdm3 = growth._sd(lam, m, s, -2), growth._sd(lam, m, s, -3)
    assert bmi_for_age_z(2, 150, sdm3 - (sdm2 - sdm3)) == -4.0


def test_at_the_median_the_score_is_zero_and_interpolates_between_months():
    _, m60, _ = growth._table("bfawho2007.txt")[(1, 60)]
    _, m61, _ = growth._table("bfawho2007.txt")[(1, 61)]
    assert bmi_for_age_z(1, 60, m60) == 0.0
    assert bmi_for_age_z(1, 60.5, (m60 + m61) / 2) == 0.0
    _, h, _ = growth._table("hfawho2007.txt")[(2, 228)]
    assert height_for_age_z(2, 228, h) == 0.0


@pytest.mark.parametrize("age", [59.99, 228.01, 12, 300])
def test_no_score_outside_5_to_19_years(age):
    assert bmi_for_age_z(1, age, 18.0) is None
    assert height_for_age_z(1, age, 140.0) is None


def test_a_sex_other_than_boy_or_girl_is_refused():
    with pytest.raises(ValueError):
        bmi_for_age_z(3, 100, 16)


def test_height_for_age_of_a_known_child():
    # boy of 60 months, l=1: z = (y/m - 1)/s
    assert height_for_age_z(1, 60, 109.7265 * (1 - 2 * 0.04156)) == -2.0
    assert height_for_age_z(1, 60, 109.7265 * (1 + 0.04156)) == 1.0


@pytest.mark.parametrize(("z", "status"), [
    (-3.01, "gay_com_nang"), (-3.0, "gay_com"), (-2.01, "gay_com"), (-2.0, "binh_thuong"),
    (0.0, "binh_thuong"), (1.0, "binh_thuong"), (1.01, "thua_can"), (2.0, "thua_can"),
    (2.01, "beo_phi"), (None, None),
])
def test_nutrition_status_at_the_cut_offs(z, status):
    assert nutrition_status(z) == status


@pytest.mark.parametrize(("z", "status"), [
    (-3.01, "thap_coi_nang"), (-3.0, "thap_coi"), (-2.01, "thap_coi"), (-2.0, "khong"), (None, None),
])
def test_stunting_at_the_cut_offs(z, status):
    assert stunting_status(z) == status


def test_every_status_has_a_vietnamese_label():
    assert set(growth.NUTRITION_LABELS) == {nutrition_status(z) for z in (-4, -2.5, 0, 1.5, 3)}
    assert growth.NUTRITION_LABELS["gay_com_nang"] == "Gầy còm nặng"


def test_age_in_months_counts_days_like_the_who():
    assert growth.age_in_months(date(2014, 1, 1), date(2024, 1, 1)) == 3652 / 30.4375
    assert round(growth.bmi(150, 45), 4) == 20.0


@pytest.mark.parametrize("z", [-2.5, -1, 0, 0.7, 2.2])
def test_the_inverse_gives_back_the_z_score(z):
    assert bmi_for_age_z(2, 150.3, growth.bmi_at_z(2, 150.3, z)) == z
    assert height_for_age_z(1, 90, growth.height_at_z(1, 90, z)) == z
    assert growth.bmi_at_z(1, 30, 0) is None
