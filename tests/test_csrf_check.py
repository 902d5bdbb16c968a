"""The CSRF check with verified tokens remembered (blueprints/csrf_check.py): the same refusals as
Flask-WTF's own check, whatever was remembered before."""
import pytest

from blueprints import csrf_check
from models.gradebook.marks import MarkCell
from tests.test_gradebook import hk1, hk2, post_cell, unlocked  # noqa: F401 (fixtures)


def test_a_remembered_token_is_not_verified_again(login_as, unlocked, monkeypatch):  # noqa: F811
    auth = login_as("giaovien")
    assert post_cell(auth, unlocked, "8").status_code == 200
    assert auth.token in csrf_check._verified
    monkeypatch.setattr("flask_wtf.csrf.validate_csrf", lambda *a, **k: pytest.fail("verified again"))
    assert post_cell(auth, unlocked, "9", version=1).status_code == 200


def test_a_wrong_token_is_refused_after_a_good_one(login_as, unlocked):  # noqa: F811
    auth = login_as("giaovien")
    assert post_cell(auth, unlocked, "8").status_code == 200
    good = auth.token
    auth.token = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    assert post_cell(auth, unlocked, "9", version=1).status_code == 400
    auth.token = ""
    assert post_cell(auth, unlocked, "9", version=1).status_code == 400
    assert MarkCell.get().value == "8.0"


def test_a_token_remembered_for_one_session_is_refused_in_another(app, login_as, unlocked):  # noqa: F811
    first = login_as("giaovien")
    assert post_cell(first, unlocked, "8").status_code == 200
    stolen = first.token
    other_client = app.test_client()
    from tests.conftest import Auth

    other = Auth(other_client)
    assert other.login("totruong").status_code == 302
    other.token = stolen  # another browser's token: its session has another secret
    assert post_cell(other, unlocked, "9", name="Lê Văn An").status_code == 400
