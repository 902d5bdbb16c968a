"""Hypothesis throws arbitrary text at the people forms: never a server error, and a refusal changes nothing."""
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.audit.log import AuditEntry
from models.people.records import Student

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
FIELDS = st.fixed_dictionaries({
    "full_name": TEXT, "date_of_birth": st.one_of(TEXT, st.dates().map(lambda d: d.strftime("%d/%m/%Y"))),
    "gender": st.sampled_from(["Nam", "Nữ", "", "nam", "x"]), "personal_id": TEXT, "father_phone": TEXT,
    "sector_code": TEXT, "ethnicity": TEXT,
})


def _has_control(data) -> bool:
    """A control character other than tab and line breaks: refused at the request boundary (400)."""
    values = data.values() if isinstance(data, dict) else [data]
    return any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", v) for v in values)


def _signed_in(client, login_as, username):
    # one sign-in per test: hypothesis calls the body many times with the same client
    if not hasattr(client, "fuzz_auth"):
        client.fuzz_auth = login_as(username)
    return client.fuzz_auth


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FIELDS)
def test_homeroom_profile_form_never_breaks(client, login_as, school, data):
    auth = _signed_in(client, login_as, "chunhiem")
    c = school["classes"]["6A1"]
    student = Student.get_by_id(school["students"]["Hoàng Anh"].id)
    before_entries = AuditEntry.select().count()
    resp = auth.post(f"/homeroom/class/{c.id}/student/{student.id}", data=data)
    if _has_control(data):
        assert resp.status_code == 400
    else:
        assert resp.status_code in (302, 422), resp.status_code
    if resp.status_code in (400, 422):
        assert AuditEntry.select().count() == before_entries
        assert Student.get_by_id(student.id).profile() == student.profile()
        assert "Traceback" not in resp.get_data(as_text=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FIELDS)
def test_admin_new_student_form_never_breaks(client, login_as, school, data):
    auth = _signed_in(client, login_as, "admin")
    c = school["classes"]["6A2"]
    count = Student.select().count()
    resp = auth.post(f"/admin/students/new?class_id={c.id}", data={**data, "school_class": str(c.id),
                                                                    "class_id": str(c.id)})
    assert resp.status_code == 400 if _has_control(data) else resp.status_code in (302, 303, 422), resp.status_code
    if resp.status_code in (400, 422):
        assert Student.select().count() == count


MARK_TEXT = st.one_of(TEXT, st.from_regex(r"\A[0-9]{1,3}([.,][0-9]{0,3})?\Z"), st.sampled_from(["10", "85", "8,5", "đ"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MARK_TEXT)
def test_grade_cell_never_breaks_and_a_refusal_stores_nothing(client, login_as, school, text):
    from datetime import datetime

    from models.core import write_transaction
    from models.gradebook.locks import switch_lock
    from models.gradebook.marks import MarkCell
    from models.rules import tt22
    from models.school.structure import Semester


    auth = _signed_in(client, login_as, "giaovien")
    semester = Semester.get(Semester.number == 1)
    if not getattr(client, "book_open", False):
        with write_transaction():
            switch_lock("school", "", False, "Mở sổ để kiểm thử", None, semester=semester, now=datetime(2024, 1, 1))
        client.book_open = True
    student = school["students"]["Nguyễn Thị An"]
    cell = MarkCell.get_or_none((MarkCell.student == student.id) & (MarkCell.kind == "gk"))
    before = (cell.value, cell.version) if cell else (None, 0)
    resp = auth.htmx_post(f"/teacher/gradebook/{school['assignment'].id}/1/cell",
                          {"student_id": student.id, "kind": "gk", "idx": 1, "row": 1, "value": text,
                           "version": before[1]})
    assert resp.status_code == 400 if _has_control(text) else resp.status_code in (200, 422), resp.status_code
    after = MarkCell.get_or_none((MarkCell.student == student.id) & (MarkCell.kind == "gk"))
    if resp.status_code in (400, 422):
        assert (after.value, after.version) == before if after else before == (None, 0)
        assert "Traceback" not in resp.get_data(as_text=True)
    elif text.strip():
        assert tt22.parse_mark(text) == tt22.parse_mark(tt22.format_mark(tt22.parse_mark(after.value)))
