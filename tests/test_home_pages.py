"""Home pages lead somewhere: the vice-principal's counters and classes, the teacher's classes; the head
of department counts classes, not assignments."""
import re

from models.school.structure import SchoolClass, TeachingAssignment


def text(resp) -> str:
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def test_vice_principal_counters_are_links(client, login_as, school):
    login_as("phohieutruong")
    page = text(client.get("/vice-principal/"))
    pairs = re.findall(r'<a class="stat" href="([^"]+)"><div class="stat-value">[^<]*</div>'
                       r'<div class="stat-label">([^<]+)</div></a>', page)
    assert pairs == [("/vice-principal/classes", "Lớp học"), ("/vice-principal/classes", "Học sinh đang học"),
                     ("/vice-principal/teachers", "Cán bộ, giáo viên"),
                     ("/vice-principal/progress", "Phân công giảng dạy")]
    for href in {href for href, _ in pairs}:
        assert client.get(href).status_code == 200


def test_vice_principal_class_list_links_each_class_in_class_order(client, login_as, school):
    c6a1 = school["classes"]["6A1"]
    c6a10 = SchoolClass.create(year=c6a1.year, grade=c6a1.grade, name="6A10")
    login_as("hieutruong")
    page = text(client.get("/vice-principal/classes"))
    found = re.findall(r'<a href="/print/class-book/(\d+)"[^>]*>([^<]+)</a>', page)
    assert [name for _, name in found] == ["6A1", "6A2", "6A10", "7A1"]
    assert (str(c6a10.id), "6A10") in found
    assert client.get(f"/print/class-book/{c6a1.id}").status_code == 200


def test_teacher_home_rows_open_the_grade_book(client, login_as, school):
    login_as("giaovien")
    page = text(client.get("/teacher/"))
    a_math = school["assignment"]
    match = re.search(rf'<a href="(/teacher/gradebook/{a_math.id}/[12])">6A1</a>', page)
    assert match, page
    assert client.get(match.group(1)).status_code == 200


def test_head_of_department_counts_distinct_classes(client, login_as, school):
    TeachingAssignment.create(school_class=school["classes"]["6A2"], subject=school["subjects"]["GDTC"],
                              teacher=school["staff"]["totruong"])
    login_as("totruong")
    page = text(client.get("/teacher/department"))
    row = re.search(r"<tr[^>]*>\s*<td>Giáo Viên Totruong</td>.*?</tr>", page, re.S).group(0)
    assert "6A2 (Toán)" in row and "6A2 (Giáo dục thể chất)" in row
    assert re.search(r'<td class="num">1</td>', row), row
