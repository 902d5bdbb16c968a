"""The department's minutes book: the head drafts the agenda and sends it, ticks who attended, writes and closes the
minutes; members read the agenda before and the agreed points after; the A4 book renders with a code per meeting."""
import re

from models.teaching.minutes import DepartmentMeeting, MeetingAttendance


def _revision(client, url) -> str:
    return re.search(r'name="revision" value="(\d+)"', client.get(url).get_data(as_text=True)).group(1)


MINUTES = {"meeting_date": "16/09/2024", "agenda": "1. Thống nhất PPCT môn Toán.\n2. Phân công dạy chuyên đề.",
           "discussion": "Cô Giaovien đề nghị dạy chuyên đề phân số trong tuần 5.",
           "conclusions": "Đồng ý đề nghị; các thầy cô nộp kế hoạch bài dạy trước 1 tuần.",
           "agreed": "Nộp kế hoạch bài dạy trước thứ Hai tuần trước."}


def _meeting(auth, client):
    resp = auth.post("/teacher/department/minutes", data={"meeting_date": "16/09/2024", "agenda": MINUTES["agenda"]})
    assert resp.status_code == 302
    return DepartmentMeeting.get()


def test_agenda_before_agreed_points_after(client, login_as, school):
    auth = login_as("totruong")
    meeting = _meeting(auth, client)
    url = f"/teacher/department/minutes/{meeting.id}"
    assert auth.post(url, data={"meeting_date": "16/09/2024", "agenda": MINUTES["agenda"], "action": "send_agenda",
                                "revision": _revision(client, url)}).status_code == 302
    auth.logout()
    auth = login_as("giaovien")
    page = client.get("/teacher/meetings").get_data(as_text=True)
    coming = page[page.index('id="coming-meetings"'):page.index('id="agreed-points"')]
    assert "Thống nhất PPCT môn Toán." in coming
    assert "Nộp kế hoạch bài dạy trước thứ Hai" not in page
    auth.logout()
    auth = login_as("totruong")
    members = {s.full_name: s.id for s in [school["staff"]["totruong"], school["staff"]["giaovien"]]}
    form = {**MINUTES, "revision": _revision(client, url), "action": "close"}
    resp = auth.post(url, data=form)  # nobody ticked: not closed, nothing written, the typed text shown again
    assert resp.status_code == 422 and "người dự họp" in resp.get_data(as_text=True)
    assert MINUTES["discussion"] in resp.get_data(as_text=True)
    refused = DepartmentMeeting.get_by_id(meeting.id)
    assert refused.state == "agenda_sent" and refused.discussion == ""
    form = {**MINUTES, "revision": _revision(client, url), "action": "close",
            "attendee": [str(i) for i in members.values()] + [str(school["staff"]["chunhiem"].id)]}
    assert auth.post(url, data=form).status_code == 302
    meeting = DepartmentMeeting.get_by_id(meeting.id)
    assert meeting.state == "closed" and meeting.agreed == MINUTES["agreed"]
    # chunhiem is not a member of the department: not ticked
    assert sorted(a.staff_id for a in MeetingAttendance.select()) == sorted(members.values())
    resp = auth.post(url, data={**MINUTES, "discussion": "đổi", "revision": str(meeting.revision)})
    assert resp.status_code == 422 and "đã chốt" in resp.get_data(as_text=True)
    auth.logout()
    login_as("giaovien")
    page = client.get("/teacher/meetings").get_data(as_text=True)
    agreed = page[page.index('id="agreed-points"'):]
    assert "Nộp kế hoạch bài dạy trước thứ Hai tuần trước." in agreed
    assert "Thống nhất PPCT" not in page[page.index('id="coming-meetings"'):page.index('id="agreed-points"')]


def test_stale_minutes_page_refused(client, login_as, school):
    auth = login_as("totruong")
    meeting = _meeting(auth, client)
    url = f"/teacher/department/minutes/{meeting.id}"
    rev = _revision(client, url)
    assert auth.post(url, data={**MINUTES, "revision": rev}).status_code == 302
    resp = auth.post(url, data={**MINUTES, "discussion": "bản khác", "revision": rev})
    assert resp.status_code == 409
    assert DepartmentMeeting.get_by_id(meeting.id).discussion == MINUTES["discussion"]


def test_only_the_head_writes_the_minutes(client, login_as, school):
    auth = login_as("totruong")
    meeting = _meeting(auth, client)
    auth.logout()
    login_as("giaovien")
    assert client.get("/teacher/department/minutes").status_code == 403
    assert client.get(f"/teacher/department/minutes/{meeting.id}").status_code == 403
    assert client.get("/teacher/department/minutes/book.pdf").status_code == 403


def test_the_book_pdf(app, client, login_as, school, tmp_path):
    from pypdf import PdfReader

    from models.printing.verification import check_code

    auth = login_as("totruong")
    meeting = _meeting(auth, client)
    url = f"/teacher/department/minutes/{meeting.id}"
    auth.post(url, data={**MINUTES, "revision": _revision(client, url), "action": "close",
                         "attendee": [str(school["staff"]["totruong"].id)]})
    resp = client.get("/teacher/department/minutes/book.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    (tmp_path / "book.pdf").write_bytes(resp.data)
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "book.pdf").pages)
    assert "Buổi 1: ngày 16/09/2024" in text and "Giáo Viên Giaovien" in text  # absent, named
    code = re.search(r"Mã xác thực: ([0-9A-F]{5}-[0-9A-F]{5})", text).group(1)
    result = check_code(code)
    assert result.found and result.checked and result.still_matches, result.message
    html = client.get("/teacher/department/minutes/book").get_data(as_text=True)
    assert code in html
