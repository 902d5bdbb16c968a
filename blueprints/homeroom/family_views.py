"""Notices to families (sổ liên lạc) of the homeroom teacher's class: the day's notices from attendance,
notices written by hand, sending them by the school's channel, the printed slips, the history."""
import io
from datetime import date
from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from blueprints.downloads import pdf_download
from blueprints.guards import homeroom_classes, own_homeroom_class
from blueprints.homeroom import bp
from models.families import exports, history, notices, settings
from models.families.notices import STATES, FamilyNotice
from models.families.settings import CHANNEL_SHORT, KINDS, ConflictError
from models.printing.family_slips import slips_pdf
from models.printing.renderer import ascii_name
from models.rules.dates import format_date, parse_date
from models.rules.family_sms import GSM7_LIMIT
from models.school.calendar import page_day
from models.school.structure import SchoolYear, class_roster

HAND_KINDS = ("urgent", "monthly_comment", "result")  # what a homeroom teacher writes by hand


def _day(text: str | None) -> date:
    if not text:  # the school's working day (today, or the demo's own day)
        year = SchoolYear.current()
        return page_day(year) if year else date.today()
    try:
        return parse_date(text)
    except ValueError:
        abort(400)


def _back(class_id: int, day: date):
    return redirect(url_for("homeroom.family_notices", class_id=class_id, day=format_date(day)))


def _xlsx(data: bytes, name: str):
    resp = send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp.headers["Content-Disposition"] = f"attachment; filename={ascii_name(name)}; filename*=UTF-8''{quote(name)}"
    return resp


@bp.route("/notices")
def family_notices_home():
    """The homeroom teacher's class's notices (the first class, when they lead several)."""
    classes = homeroom_classes(current_user)
    if not classes:
        abort(404)
    return redirect(url_for("homeroom.family_notices", class_id=classes[0].id))


@bp.route("/class/<int:class_id>/notices")
def family_notices(class_id: int):
    """The day's notices to families: who is absent, to which phone, the text, each notice's state."""
    school_class = own_homeroom_class(class_id)
    day = _day(request.args.get("day"))
    roster = [e for e in class_roster(school_class) if not e.has_left]
    rows = notices.class_notices(school_class, day)
    return render_template(
        "homeroom/family_notices.html", school_class=school_class, day=day, config=settings.current(),
        channels=settings.CHANNELS, drafts=notices.day_drafts(school_class, day),
        rows=rows, roster=roster, kinds={k: KINDS[k] for k in HAND_KINDS},
        opted=settings.opted_out_ids([e.student.id for e in roster]), sms_limit=GSM7_LIMIT,
        template_of={k: settings.template_text(k) for k in HAND_KINDS},
        values=notices.template_values(school_class, None, day, ""), in_flight=_in_flight(rows))


def _in_flight(rows: list[FamilyNotice]) -> bool:
    """Some notice is on its way to the phone: queued or being sent."""
    return any(n.state == "sending" or (n.state == "pending" and n.queued_at) for n in rows)


@bp.route("/class/<int:class_id>/notices/states")
def family_notice_states(class_id: int):
    """The day's notices' states as out-of-band swaps (the page polls while SMS are on their way)."""
    school_class = own_homeroom_class(class_id)
    day = _day(request.args.get("day"))
    rows = notices.class_notices(school_class, day)
    return render_template("homeroom/_family_states.html", rows=rows, school_class=school_class, day=day,
                           in_flight=_in_flight(rows))


@bp.route("/class/<int:class_id>/notices/day", methods=["POST"])
def family_notices_make_day(class_id: int):
    """Make the day's notices from attendance (and violations, once connected)."""
    school_class = own_homeroom_class(class_id)
    day = _day(request.form.get("day"))
    try:
        made = notices.create_day_notices(school_class, day, current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã lập {len(made)} thông báo ngày {format_date(day)}." if made
              else "Không có thông báo mới: mọi học sinh nghỉ học hôm đó đã có thông báo.", "success")
    return _back(class_id, day)


@bp.route("/class/<int:class_id>/notices/new", methods=["POST"])
def family_notices_new(class_id: int):
    """A notice written by hand to one student's family or to every family of the class."""
    school_class = own_homeroom_class(class_id)
    day = _day(request.form.get("day"))
    kind = request.form.get("kind", "")
    roster = {e.student.id: e.student for e in class_roster(school_class) if not e.has_left}
    target = request.form.get("student_id", "")
    if target == "all":
        students = list(roster.values())
    else:
        student = roster.get(int(target)) if target.isdigit() else None
        students = [student] if student else []
    try:
        if kind not in HAND_KINDS:
            raise ValueError("Chọn loại thông báo.")
        made = notices.create_notice(kind, school_class, students, day, request.form.get("content", ""),
                                     current_user)
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash(f"Đã lập {len(made)} thông báo.", "success")
    return _back(class_id, day)


@bp.route("/class/<int:class_id>/notices/send", methods=["POST"])
def family_notices_send(class_id: int):
    """Send the day's pending notices by the school's channel: SMS queue, Excel export or printed slips."""
    school_class = own_homeroom_class(class_id)
    day = _day(request.form.get("day"))
    pending = notices.class_notices(school_class, day, ("pending",))
    channel = settings.current().channel
    if channel == "export":
        data, rows = exports.export_xlsx(pending, f"Thông báo gia đình lớp {school_class.name} ngày {format_date(day)}")
        return _xlsx(data, f"Tin nhắn lớp {school_class.name} {day:%d-%m-%Y}.xlsx")
    if channel == "print":
        return family_notices_slips(class_id)
    queued, failed, too_long = notices.queue_for_sms(pending)
    flash(f"Đã đưa {queued} tin vào hàng đợi gửi SMS" + (f"; {failed} tin lỗi số điện thoại" if failed else "")
          + (f"; {too_long} tin quá {GSM7_LIMIT} ký tự chưa gửi: sửa nội dung cho ngắn lại rồi gửi lại" if too_long
             else "") + ".", "success" if not (failed or too_long) else "error")
    return _back(class_id, day)


@bp.route("/class/<int:class_id>/notices/slips", methods=["POST"])
def family_notices_slips(class_id: int):
    """The class's slips of the day in one PDF (four A6 to an A4 page); the pending ones count as sent."""
    school_class = own_homeroom_class(class_id)
    day = _day(request.form.get("day"))
    rows = [n for n in notices.class_notices(school_class, day) if n.state != "skipped"]
    if not rows:
        flash("Chưa có thông báo nào của ngày này để in.", "error")
        return _back(class_id, day)
    data = slips_pdf(school_class, rows, date.today())
    notices.mark_handed_over([n for n in rows if n.state == "pending" and n.queued_at is None], "print")
    return pdf_download(io.BytesIO(data), f"Phiếu liên lạc lớp {school_class.name} {day:%d-%m-%Y}.pdf")


@bp.route("/class/<int:class_id>/notices/<int:notice_id>/text", methods=["POST"])
def family_notice_text(class_id: int, notice_id: int):
    """Correct a pending notice's text; a stale page (someone changed it meanwhile) gets a 409."""
    school_class = own_homeroom_class(class_id)
    notice = FamilyNotice.get_or_none((FamilyNotice.id == notice_id) & (FamilyNotice.school_class == school_class))
    if notice is None:
        abort(404)
    try:
        notices.edit_text(notice, request.form.get("text", ""), request.form.get("version", type=int) or 0)
    except ConflictError as stale:
        return render_template("homeroom/family_conflict.html", school_class=school_class, message=str(stale),
                               day=notice.day), 409
    except ValueError as refused:
        flash(str(refused), "error")
    else:
        flash("Đã sửa nội dung thông báo.", "success")
    return _back(class_id, notice.day)


@bp.route("/class/<int:class_id>/notices/family", methods=["POST"])
def family_opt_out(class_id: int):
    """Record a family's wish not to receive messages (or to receive them again)."""
    school_class = own_homeroom_class(class_id)
    student_id = request.form.get("student_id", type=int)
    student = next((e.student for e in class_roster(school_class) if e.student.id == student_id), None)
    if student is None:
        abort(404)
    opted = request.form.get("opted_out") == "1"
    settings.set_opt_out(student, opted, request.form.get("note", ""), current_user)
    flash(f"Gia đình em {student.full_name} " + ("không nhận tin nhắn nữa." if opted else "nhận tin nhắn trở lại."),
          "success")
    return _back(class_id, _day(request.form.get("day")))


@bp.route("/class/<int:class_id>/notices/history")
def family_history(class_id: int):
    """Every notice of the class, filterable by student, kind, state and days (the sổ liên lạc's history)."""
    school_class = own_homeroom_class(class_id)
    roster = class_roster(school_class)
    sid = request.args.get("student", type=int)
    student = next((e.student for e in roster if e.student.id == sid), None)
    kind = request.args.get("kind", "") if request.args.get("kind", "") in KINDS else ""
    state = request.args.get("state", "") if request.args.get("state", "") in STATES else ""
    since = _day(request.args.get("since")) if request.args.get("since") else None
    until = _day(request.args.get("until")) if request.args.get("until") else None
    rows = history.notices(school_class=school_class, student=student, kind=kind, state=state, since=since,
                           until=until)
    return render_template("homeroom/family_history.html", school_class=school_class, roster=roster, rows=rows,
                           student=student, kind=kind, state=state, since=since, until=until, kinds=KINDS,
                           states=STATES, channel_labels=CHANNEL_SHORT)
