"""`flask --app app print-attendance …`: monthly attendance sheets from the command line."""
import time
from pathlib import Path

import click
from flask import Flask

from models.core import db


def register_print_commands(app: Flask) -> None:
    @app.cli.command("print-attendance")
    @click.option("--class", "class_name", help="Tên lớp, ví dụ 6A1.")
    @click.option("--all-classes", is_flag=True, help="Mọi lớp của năm học hiện tại, trong một tệp PDF.")
    @click.option("--month", required=True, help="Tháng, dạng YYYY-MM (ví dụ 2024-10).")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_attendance(class_name, all_classes, month, out):
        """Write the monthly attendance sheet of one class (or of the whole school) as a PDF."""
        from models.printing.attendance_sheet import school_classes, school_month_pdf, sheet_for, sheet_pdf
        from models.rules import calendar as cal_rules
        from models.school.structure import SchoolClass, SchoolYear



        try:
            cal_rules.parse_year_month(month)
        except ValueError as bad:
            raise click.ClickException(str(bad)) from None
        if bool(class_name) == bool(all_classes):
            raise click.ClickException("Cần chọn đúng một trong hai: --class <lớp> hoặc --all-classes.")
        started = time.perf_counter()
        with db.connection_context():
            year = SchoolYear.current()
            if year is None:
                raise click.ClickException("Chưa có năm học hiện tại.")
            if all_classes:
                classes = school_classes(year)
                if not classes:
                    raise click.ClickException(f"Năm học {year.name} chưa có lớp nào.")

                def progress(done, total):
                    click.echo(f"  {done}/{total} lớp", err=True)

                data = school_month_pdf(classes, month, progress=progress)
                what = f"{len(classes)} lớp"
            else:
                school_class = SchoolClass.get_or_none((SchoolClass.year == year) & (SchoolClass.name == class_name))
                if school_class is None:
                    raise click.ClickException(f"Không có lớp {class_name} trong năm học {year.name}.")
                data = sheet_pdf(sheet_for(school_class, month))
                what = f"lớp {school_class.name}"
        Path(out).write_bytes(data)
        click.echo(f"Đã ghi bảng điểm danh tháng {month[5:]}/{month[:4]} của {what} vào {out} "
                   f"({len(data) // 1024} KB, {time.perf_counter() - started:.1f} giây).")

    @app.cli.command("print-class-book")
    @click.option("--class", "class_name", required=True, help="Tên lớp, ví dụ 6A1.")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_class_book(class_name, out):
        """Write the class book (Sổ theo dõi và đánh giá học sinh theo lớp học, A3) of one class as a PDF."""
        from models.printing.class_book import book_pdf, build_book
        from models.school.structure import SchoolClass, SchoolYear

        started = time.perf_counter()
        with db.connection_context():
            year = SchoolYear.current()
            if year is None:
                raise click.ClickException("Chưa có năm học hiện tại.")
            school_class = SchoolClass.get_or_none((SchoolClass.year == year) & (SchoolClass.name == class_name))
            if school_class is None:
                raise click.ClickException(f"Không có lớp {class_name} trong năm học {year.name}.")
            book = build_book(school_class)
            data = book_pdf(book, progress=lambda done, total: click.echo(f"  {done}/{total} trang", err=True))
        Path(out).write_bytes(data)
        click.echo(f"Đã ghi sổ theo dõi lớp {school_class.name} ({len(book.pages)} trang) vào {out} "
                   f"({len(data) // 1024} KB, {time.perf_counter() - started:.1f} giây).")

    @app.cli.command("print-primary-summary")
    @click.option("--class", "class_name", required=True, help="Tên lớp tiểu học, ví dụ 4A1.")
    @click.option("--moment", required=True, type=click.Choice(["GHK1", "CHK1", "GHK2", "CN"]),
                  help="Thời điểm: GHK1, CHK1, GHK2 hoặc CN.")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_primary_summary(class_name, moment, out):
        """Write a primary class's Sổ THKQGD (bảng tổng hợp kết quả đánh giá giáo dục, A3) at one moment."""
        from models.primary.assessments import is_primary_class
        from models.printing import primary_summary
        from models.school.structure import SchoolClass, SchoolYear

        with db.connection_context():
            year = SchoolYear.current()
            school_class = year and SchoolClass.get_or_none((SchoolClass.year == year)
                                                            & (SchoolClass.name == class_name))
            if school_class is None or not is_primary_class(school_class):
                raise click.ClickException(f"Không có lớp tiểu học {class_name} trong năm học hiện tại.")
            data = primary_summary.pdf(primary_summary.summary_sheet(school_class, moment))
        Path(out).write_bytes(data)
        click.echo(f"Đã ghi sổ tổng hợp kết quả đánh giá giáo dục lớp {class_name} ({moment}) vào {out}.")

    register_book_commands(app)


def register_book_commands(app: Flask) -> None:
    """print-teacher-book, print-hoc-ba and archive (the A4 books and the year-end archive)."""

    @app.cli.command("print-teacher-book")
    @click.option("--assignment", "assignment_id", type=int, help="Mã phân công giảng dạy.")
    @click.option("--teacher", help="Tên đăng nhập của giáo viên.")
    @click.option("--class", "class_name", help="Tên lớp, ví dụ 6A1.")
    @click.option("--subject", help="Mã môn, ví dụ TOAN.")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_teacher_book(assignment_id, teacher, class_name, subject, out):
        """Write a teacher's book (one teacher × class × subject) as a PDF."""
        from models.printing import teacher_book
        from models.school.structure import TeachingAssignment



        started = time.perf_counter()
        with db.connection_context():
            if assignment_id:
                assignment = TeachingAssignment.get_or_none(TeachingAssignment.id == assignment_id)
            elif teacher and class_name and subject:
                assignment = teacher_book.find_assignment(teacher, class_name, subject)
            else:
                raise click.ClickException("Cần --assignment <mã>, hoặc --teacher, --class và --subject.")
            if assignment is None:
                raise click.ClickException("Không tìm thấy phân công giảng dạy này.")
            book = teacher_book.build(assignment)
            data = teacher_book.pdf(book, use_cache=False)
        Path(out).write_bytes(data)
        click.echo(f"Đã ghi sổ của giáo viên {book.teacher_name} ({book.subject_name} {book.class_name}) vào {out} "
                   f"({len(book.pages)} trang, {time.perf_counter() - started:.1f} giây).")

    @app.cli.command("print-hoc-ba")
    @click.option("--student", "student_code", help="Mã định danh của học sinh.")
    @click.option("--class", "class_name", help="Tên lớp: học bạ của cả lớp trong một tệp.")
    @click.option("--year", "year_name", help="Năm học, ví dụ 2024-2025 (mặc định: năm hiện tại).")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_hoc_ba(student_code, class_name, year_name, out):
        """Write the học bạ of one student (or of every student of a class) for a school year as a PDF."""
        from models.people.records import Student
        from models.printing import hoc_ba
        from models.school.structure import SchoolClass, SchoolYear



        if bool(student_code) == bool(class_name):
            raise click.ClickException("Cần chọn đúng một trong hai: --student <mã> hoặc --class <lớp>.")
        started = time.perf_counter()
        with db.connection_context():
            year = SchoolYear.get_or_none(SchoolYear.name == year_name) if year_name else SchoolYear.current()
            if year is None:
                raise click.ClickException("Không có năm học này.")
            if student_code:
                student = Student.get_or_none(Student.code == student_code)
                page = hoc_ba.student_page(student, year) if student else None
                if page is None:
                    raise click.ClickException(f"Không có học sinh {student_code} trong năm học {year.name}.")
                pages = [page]
            else:
                school_class = SchoolClass.get_or_none((SchoolClass.year == year) & (SchoolClass.name == class_name))
                if school_class is None:
                    raise click.ClickException(f"Không có lớp {class_name} trong năm học {year.name}.")
                pages = hoc_ba.class_pages(school_class)
            data = hoc_ba.pdf(pages)
        Path(out).write_bytes(data)
        click.echo(f"Đã ghi {len(pages)} học bạ năm học {year.name} vào {out} "
                   f"({len(data) // 1024} KB, {time.perf_counter() - started:.1f} giây).")

    @app.cli.command("archive")
    @click.option("--year", "year_name", required=True, help="Năm học, ví dụ 2024-2025.")
    @click.option("--out", required=True, type=click.Path(file_okay=False), help="Thư mục ghi tệp ZIP.")
    @click.option("--workers", default=0, show_default=True,
                  help="Số tiến trình dựng PDF (0: mỗi lõi CPU một tiến trình).")
    @click.option("--class", "class_names", multiple=True, help="Chỉ những lớp này (thử nghiệm).")
    def archive_year(year_name, out, workers, class_names):
        """Write the year-end archive (class books, every học bạ, manifest.json) as one ZIP in --out."""
        from datetime import datetime

        from models.printing import archive
        from models.school.structure import SchoolClass, SchoolYear

        started = time.perf_counter()
        with db.connection_context():
            year = SchoolYear.get_or_none(SchoolYear.name == year_name)
            if year is None:
                raise click.ClickException(f"Không có năm học {year_name}.")
            ids = None
            if class_names:
                ids = [c.id for c in SchoolClass.select().where((SchoolClass.year == year)
                                                                 & SchoolClass.name.in_(class_names))]
            path = Path(out) / archive.archive_name(year, datetime.now())

            def progress(done, total):
                click.echo(f"  {done}/{total}", err=True)

            result = archive.build_archive(year, path, workers=workers, class_ids=ids, progress=progress)
        click.echo(f"Đã ghi {result.path}: {result.classes} lớp, {result.students} học bạ, {result.files} tệp "
                   f"({result.path.stat().st_size // 1048576} MB, {time.perf_counter() - started:.1f} giây).")

    @app.cli.command("print-register")
    @click.option("--kind", required=True, type=click.Choice(["dang-bo", "bien-dong"]),
                  help="dang-bo: sổ đăng bộ; bien-dong: sổ theo dõi học sinh bỏ học, chuyển đi, chuyển đến.")
    @click.option("--year", "year_name", help="Năm học (sổ biến động), ví dụ 2024-2025; mặc định mọi năm.")
    @click.option("--assign", is_flag=True, help="Cấp số đăng bộ cho học sinh mới vào trường trước khi in.")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_register(kind, year_name, assign, out):
        """Write one of the school's registers (A3) as a PDF."""
        from models.printing import registers
        from models.school.structure import SchoolYear

        with db.connection_context():
            year = None
            if year_name:
                year = SchoolYear.get_or_none(SchoolYear.name == year_name)
                if year is None:
                    raise click.ClickException(f"Không có năm học {year_name}.")
            if assign:
                click.echo(f"Đã cấp {registers.assign_numbers()} số đăng bộ mới.")
            register = registers.build(kind, year)
            data = registers.register_pdf(register)
        Path(out).write_bytes(data)
        click.echo(f"Đã ghi {register.title} ({len(register.rows)} dòng) vào {out} ({len(data) // 1024} KB).")
