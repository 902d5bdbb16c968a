"""`flask --app app print-attendance …`: monthly attendance sheets from the command line."""
import time
from pathlib import Path

import click
from flask import Flask

from models import db


def register_print_commands(app: Flask) -> None:
    @app.cli.command("print-attendance")
    @click.option("--class", "class_name", help="Tên lớp, ví dụ 6A1.")
    @click.option("--all-classes", is_flag=True, help="Mọi lớp của năm học hiện tại, trong một tệp PDF.")
    @click.option("--month", required=True, help="Tháng, dạng YYYY-MM (ví dụ 2024-10).")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True), help="Tệp PDF ghi ra.")
    def print_attendance(class_name, all_classes, month, out):
        """Write the monthly attendance sheet of one class (or of the whole school) as a PDF."""
        from models.attendance_sheets import school_classes, school_month_pdf, sheet_for, sheet_pdf
        from models.rules import calendar as cal_rules
        from models.school import SchoolClass, SchoolYear

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
