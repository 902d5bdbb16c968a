"""The admin's timetable (thời khoá biểu: versions, a class's grid, the Excel import) and programme plan (PPCT)."""
from io import BytesIO

from flask import abort, flash, redirect, render_template, request, send_file, url_for

from blueprints.admin import bp
from models.rules import timetable as rules
from models.rules.dates import parse_date
from models.school.structure import SchoolClass, SchoolYear, TeachingAssignment, class_sort_key
from models.teaching import ppct, timetable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year() -> SchoolYear:
    year = SchoolYear.current()
    if year is None:
        abort(404)
    return year


def _version(year: SchoolYear, version_id: int) -> timetable.TimetableVersion:
    found = timetable.TimetableVersion.get_or_none((timetable.TimetableVersion.id == version_id)
                                                   & (timetable.TimetableVersion.year == year))
    if found is None:
        abort(404)
    return found


def _classes(year: SchoolYear) -> list[SchoolClass]:
    return sorted(SchoolClass.select().where(SchoolClass.year == year), key=lambda c: class_sort_key(c.name))


@bp.route("/timetable")
def timetable_home():
    """The year's timetable versions, the classes to edit, the import form."""
    year = _year()
    return render_template("admin/timetable.html", year=year, versions=timetable.versions(year),
                           classes=_classes(year), result=None)


@bp.route("/timetable/versions", methods=["POST"])
def timetable_new_version():
    """A new version from a date, copied from the one in force then (only the change is entered)."""
    year = _year()
    try:
        effective_on = parse_date(request.form.get("effective_on", ""))
        base = timetable.version_on(year, effective_on)
        timetable.create_version(year, effective_on, request.form.get("note", ""), copy_from=base)
    except ValueError as wrong:
        return render_template("admin/timetable.html", year=year, versions=timetable.versions(year),
                               classes=_classes(year), result=None, error=str(wrong)), 422
    flash(f"Đã tạo thời khoá biểu áp dụng từ ngày {effective_on:%d/%m/%Y}.", "success")
    return redirect(url_for("admin.timetable_home"), 303)


@bp.route("/timetable/<int:version_id>/class/<int:class_id>", methods=["GET", "POST"])
def timetable_class(version_id: int, class_id: int):
    """One class's grid (weekday × period) in one version: pick the subject and teacher of each lesson."""
    year = _year()
    version = _version(year, version_id)
    school_class = SchoolClass.get_or_none((SchoolClass.id == class_id) & (SchoolClass.year == year)) or abort(404)
    assignments = list(TeachingAssignment.select().where(TeachingAssignment.school_class == school_class))
    error, status = None, 200
    if request.method == "POST":
        cells = {}
        try:
            expected = request.form.get("token", "")
            for weekday in rules.WEEKDAYS:
                for period in rules.periods_of(2):
                    raw = request.form.get(f"c{weekday}_{period}", "")
                    cells[(weekday, period)] = int(raw) if raw else None
        except ValueError:
            abort(400)
        try:
            timetable.save_class_grid(version, school_class, cells, expected)
        except timetable.Conflict as wrong:
            error, status = str(wrong), 409
        except ValueError as wrong:
            error, status = str(wrong), 422
        else:
            flash(f"Đã lưu thời khoá biểu lớp {school_class.name}.", "success")
            return redirect(url_for("admin.timetable_class", version_id=version.id, class_id=class_id), 303)
    grid = {k: a.id for k, a in timetable.class_grid(version, school_class).items()}
    if status == 422:  # show what was typed beside the reason; after a 409, what the other person saved
        grid = {k: v for k, v in cells.items() if v is not None}
    from models.school.calendar import settings_for

    periods = rules.periods_of(settings_for(year).sessions_per_day)
    if any(p not in periods for _, p in grid):
        periods = rules.periods_of(2)
    return render_template("admin/timetable_class.html", year=year, version=version, school_class=school_class,
                           token=timetable.grid_token(version, school_class),
                           assignments=assignments, grid=grid, periods=periods, error=error,
                           weekdays=rules.WEEKDAY_LABELS, period_label=rules.period_label), status


@bp.route("/timetable/import", methods=["POST"])
def timetable_import():
    """Import a timetable sheet (class × day × period) as the version from a date; all rows or none."""
    year = _year()
    upload = request.files.get("file")
    error, result = None, None
    try:
        effective_on = parse_date(request.form.get("effective_on", ""))
        if upload is None or not upload.filename:
            raise ValueError("Hãy chọn tệp Excel (.xlsx) thời khoá biểu.")
        result = timetable.import_timetable(year, effective_on, upload.read(), upload.filename)
    except ValueError as wrong:
        error = str(wrong)
    if result is not None and result.ok:
        flash(f"Đã nhập thời khoá biểu của {result.classes} lớp, áp dụng từ ngày {effective_on:%d/%m/%Y}.", "success")
        return redirect(url_for("admin.timetable_home"), 303)
    return render_template("admin/timetable.html", year=year, versions=timetable.versions(year),
                           classes=_classes(year), result=result, error=error), 422


@bp.route("/timetable/template.xlsx")
def timetable_template():
    """An empty sheet in the import layout with this year's classes."""
    return send_file(BytesIO(timetable.template_workbook(_year())), mimetype=XLSX, as_attachment=True,
                     download_name="Mau-thoi-khoa-bieu.xlsx")


@bp.route("/ppct", methods=["GET", "POST"])
def ppct_home():
    """The programme plan per grade and subject (lessons against the subject's periods) and its import."""
    year = _year()
    result, error, status = None, None, 200
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise ValueError("Hãy chọn tệp Excel (.xlsx) phân phối chương trình.")
            result = ppct.import_ppct(year, upload.read(), upload.filename)
        except ValueError as wrong:
            error = str(wrong)
        if result is not None and result.ok:
            flash(f"Đã nhập phân phối chương trình của {len(result.lessons)} môn.", "success")
            for warning in result.warnings[:20]:
                flash(warning, "warning")
            return redirect(url_for("admin.ppct_home"), 303)
        status = 422
    return render_template("admin/ppct.html", year=year, rows=ppct.overview(year), result=result,
                           error=error), status


@bp.route("/ppct/template.xlsx")
def ppct_template():
    return send_file(BytesIO(ppct.template_workbook()), mimetype=XLSX, as_attachment=True,
                     download_name="Mau-phan-phoi-chuong-trinh.xlsx")
