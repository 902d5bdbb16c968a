"""The year-end archive holds the year's lesson plan files as stored (every version, with its approval in the
manifest), the plans and year plans as JSON, and each department's minutes book."""
import hashlib
import json
import zipfile
from datetime import date, datetime

from models.teaching import lesson_plans, minutes
from tests.test_rules_teaching_plans import DOCX

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_plans_and_minutes_go_into_the_archive(app, school, tmp_path):
    from models.printing.archive import build_archive

    staff = school["staff"]
    upload = app.config["UPLOAD_DIR"]
    with app.app_context():
        first = lesson_plans.PlanContent(lesson_plans.check_file(PDF, "tiết 12.pdf", 10 ** 6))
        plan = lesson_plans.save(school["assignment"], date(2024, 12, 9), 12, "Phép cộng phân số", first, upload,
                                 submit=True, now=datetime(2024, 12, 5, 20))  # due 02/12: late
        lesson_plans.review(plan, "return", "Thêm phần vận dụng.", staff["totruong"], None)
        second = lesson_plans.PlanContent(lesson_plans.check_file(DOCX, "tiết 12 (sửa).docx", 10 ** 6))
        plan = lesson_plans.save(school["assignment"], date(2024, 12, 9), 12, "Phép cộng phân số", second, upload,
                                 plan=lesson_plans.LessonPlan.get_by_id(plan.id), submit=True)
        lesson_plans.review(plan, "approve", "", staff["totruong"], None)
        department = school["subjects"]["TOAN"].department
        meeting = minutes.create(department, school["year"], date(2024, 9, 16), {"agenda": "PPCT"}, staff["totruong"])
        meeting = minutes.save(meeting, date(2024, 9, 16), {"agenda": "PPCT", "discussion": "Thảo luận",
                                                            "conclusions": "Kết luận", "agreed": "Thống nhất"},
                               [staff["totruong"].id], None)
        minutes.close(meeting, None)
        out = tmp_path / "Luu-tru.zip"
        build_archive(school["year"], out, now=datetime(2025, 6, 30, 8), workers=1)
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        entries = {item["path"]: item for item in manifest["files"]}
        plan_files = sorted(p for p in entries if p.startswith("ke-hoach-bai-day/") and not p.endswith(".json"))
        assert [archive.read(p) for p in plan_files] == [PDF, DOCX]  # as stored, both versions
        assert plan_files[0].endswith("_tiet12_lan1.pdf") and plan_files[1].endswith("_tiet12_lan2.docx")
        v1, v2 = (entries[p]["lesson_plan"] for p in plan_files)
        assert v1["outcome"] == "Bị trả lại" and v1["comment"] == "Thêm phần vận dụng." and v1["late"] is True
        assert v2["outcome"] == "Đã duyệt" and v2["reviewed_by"] == staff["totruong"].full_name
        assert entries[plan_files[0]]["sha256"] == hashlib.sha256(PDF).hexdigest() == v1["sha256"]
        records = json.loads(archive.read("ke-hoach-bai-day/ke-hoach-bai-day.json"))
        assert [r["version"] for r in records] == [1, 2] and records[1]["state_now"] == "Đã duyệt"
        book = [p for p in entries if p.startswith("so-sinh-hoat-chuyen-mon/")]
        assert len(book) == 1 and archive.read(book[0]).startswith(b"%PDF")
        assert entries[book[0]]["meetings"] == 1
        for item in manifest["files"]:
            assert hashlib.sha256(archive.read(item["path"])).hexdigest() == item["sha256"]
