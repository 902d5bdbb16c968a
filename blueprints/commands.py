"""`flask --app app …` commands for the school's IT person."""
import sqlite3

import click
from flask import Flask
from peewee import DatabaseError

from models.audit.log import verify_chain
from models.core import db
from models.core.database import migrate


def register_commands(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema (idempotent)."""
        with db.connection_context():
            applied = migrate()
        # create_app already applies pending migrations; this command makes the step explicit
        click.echo("Đã cập nhật cơ sở dữ liệu: " + ", ".join(applied) if applied
                   else "Cơ sở dữ liệu đã ở phiên bản mới nhất.")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Only when the database holds no school yet.")
    @click.option("--today", "today_text", default="", metavar="YYYY-MM-DD",
                  help="Build the school as it stands on this day (default: today).")
    @click.option("--level", type=click.Choice(["thcs", "thpt", "primary"]), default="thcs",
                  help="thcs: grades 6–9 (default); thpt: grades 10–12 with subject groups; primary: a primary school (tiểu học, TT27).")
    def seed_demo(if_empty, today_text, level):
        """Build the demo school for the school year holding the day (deterministic for a given day)."""
        from datetime import date

        from models.demo.school import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_school
        from models.school.structure import School

        try:
            today = date.fromisoformat(today_text) if today_text else date.today()
        except ValueError:
            raise click.ClickException(f"Ngày không hợp lệ: {today_text} (dạng YYYY-MM-DD, ví dụ 2025-10-20).") \
                from None
        with db.connection_context():
            if School.select().exists():
                if if_empty:
                    click.echo("Cơ sở dữ liệu đã có dữ liệu trường: không nạp trường mẫu.")
                    return
                raise click.ClickException("Cơ sở dữ liệu đã có dữ liệu trường; trường mẫu chỉ nạp vào cơ sở dữ liệu trống.")
            if level == "primary":  # TT27 assessments instead of marks; no attendance drawn for it yet
                from models.demo.primary import seed_primary_demo

                click.echo(f"Đã tạo trường mẫu ngày {today:%d/%m/%Y}: {seed_primary_demo(today=today)}")
                click.echo(f"Tài khoản mẫu (mật khẩu {DEMO_PASSWORD}): " + ", ".join(u for u, _ in DEMO_ACCOUNTS))
                return
            if level == "thpt":
                from models.demo.thpt import seed_thpt_school

                summary = seed_thpt_school(today=today)
            else:
                summary = seed_demo_school(today=today)
            from models.demo.attendance import seed_demo_attendance
            from models.demo.marks import seed_demo_marks
            from models.demo.previous_year import seed_previous_year

            marks = seed_demo_marks(today=today)
            attendance = seed_demo_attendance(today=today)
            # the previous year, complete and not yet approved, for trying the year end (lower secondary)
            previous = f" Có {seed_previous_year(today=today)}." if level == "thcs" else ""
            teaching = ""
            if level == "thcs":  # the schedules and the class log follow the calendar and attendance
                from models.demo.teaching import seed_demo_teaching

                teaching = " " + seed_demo_teaching(today=today)
            from models.demo.health import seed_demo_health

            health = seed_demo_health(today=today)
            from models.demo.finance import seed_demo_finance

            finance = seed_demo_finance(today=today)
            from models.demo.discipline import seed_demo_discipline

            discipline = seed_demo_discipline(today=today)
            from models.demo.families import seed_demo_families

            families = seed_demo_families(today=today)
        click.echo(f"Đã tạo trường mẫu ngày {today:%d/%m/%Y}: {summary}; {marks}. {attendance} {health}{previous}{teaching} "
                   f"Thu: {finance}. {discipline} Có {families}.")
        click.echo(f"Tài khoản mẫu (mật khẩu {DEMO_PASSWORD}): " + ", ".join(u for u, _ in DEMO_ACCOUNTS))

    @app.cli.command("audit-verify")
    @click.option("--head", "head", default="", metavar="HASH",
                  help="A chain head kept outside the database (beside a backup, in an archive manifest).")
    def audit_verify(head):
        """Check the audit log: its hash chain, the books against it (replay), and a kept head; exit 1 if not."""
        from models.audit_check.replay import replay, verify_head

        try:
            with db.connection_context():
                report = verify_chain()
                if not report.ok:
                    click.echo(f"Nhật ký bị thay đổi: mục #{report.first_broken_id}: {report.problem}.", err=True)
                    raise SystemExit(1)
                missing = verify_head(head) if head else ""
                if missing:
                    click.echo(missing, err=True)
                    raise SystemExit(1)
                books = replay()
        except (DatabaseError, sqlite3.DatabaseError, ValueError, LookupError, TypeError) as e:
            click.echo(f"Không đọc được cơ sở dữ liệu để kiểm tra nhật ký ({type(e).__name__}: {e}). "
                       "Cơ sở dữ liệu có thể đã hỏng: hãy khôi phục từ bản sao lưu gần nhất.", err=True)
            raise SystemExit(1) from None
        if not books.ok:
            click.echo(f"Sổ không khớp với nhật ký: {books.problem}", err=True)
            raise SystemExit(1)
        click.echo(f"Nhật ký toàn vẹn: {report.count} mục, chuỗi băm khớp"
                   + (f", còn chứa mã băm {head.strip().lower()[:16]}…" if head else "") + ".")
        click.echo(f"Sổ khớp với nhật ký: {books.marks} ô điểm, {books.attendance} buổi điểm danh"
                   + (f", {books.primary} ô đánh giá tiểu học" if books.primary else "") + ".")
        if books.unverified:
            click.echo(f"Lưu ý: {books.unverified} nhóm dữ liệu mẫu tạo bằng phiên bản cũ không có tổng kiểm, "
                       "chưa kiểm được từng giá trị.")

    @app.cli.command("create-admin")
    @click.option("--username", required=True)
    @click.option("--full-name", required=True)
    @click.password_option()
    def create_admin(username, full_name, password):
        """Create an admin account for a real (non-demo) school."""
        from models.people.accounts import create_account

        with db.connection_context():
            try:
                create_account(username, full_name, password, {"admin"})
            except ValueError as bad:
                raise click.ClickException(str(bad)) from None
        click.echo(f"Đã tạo tài khoản quản trị {username}; đổi mật khẩu ở lần đăng nhập đầu.")

    from blueprints.backup_commands import register_backup_commands

    register_backup_commands(app)

    from blueprints.print.commands import register_print_commands

    register_print_commands(app)
