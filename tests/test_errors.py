"""Failures the user can meet: a clear Vietnamese message, nothing changed, the server keeps serving."""
import peewee
import pytest

from models.people.records import Student


def test_database_error_gives_a_vietnamese_503_and_changes_nothing(app, client, login_as, school, monkeypatch):
    auth = login_as("chunhiem")
    c = school["classes"]["6A1"]
    student = school["students"]["Vũ Ánh"]

    def locked(*args, **kwargs):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr("models.people.records.update_profile", locked)
    monkeypatch.setattr("blueprints.homeroom.views.update_profile", locked)
    resp = auth.post(f"/homeroom/class/{c.id}/student/{student.id}",
                     data={"full_name": "Tên Mới", "date_of_birth": "10/07/2013", "gender": "Nữ"})
    assert resp.status_code == 503
    body = resp.get_data(as_text=True)
    assert "chưa được lưu" in body and "Traceback" not in body and "database is locked" not in body
    assert Student.get_by_id(student.id).full_name == "Vũ Ánh"
    monkeypatch.undo()
    assert client.get(f"/homeroom/class/{c.id}").status_code == 200


def test_unexpected_error_shows_no_stack_trace(app, client, login_as, school, monkeypatch):
    login_as("ketoan")

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr("blueprints.accountant.views.class_size", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    resp = client.get("/accountant/")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert "Lỗi máy chủ" in body and "SELECT" not in body and "Traceback" not in body


@pytest.mark.parametrize("path", ["/khong-co", "/admin/khong-co"])
def test_unknown_page_is_a_vietnamese_404(client, login_as, path):
    login_as("admin")
    resp = client.get(path)
    assert resp.status_code == 404
    assert "Không tìm thấy trang" in resp.get_data(as_text=True)
