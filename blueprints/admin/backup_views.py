"""Backups: the list, "Sao lưu ngay", downloads by name, and the last good backup for the admin home."""
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for

from blueprints.admin import bp
from models.backup.backups import (
    BackupInfo,
    backup_file,
    backup_now,
    backup_warning,
    last_good_backup,
    list_backups,
    settings_for,
    sqlite_path_of,
)
from models.core import db


@dataclass
class BackupStatus:
    last: BackupInfo | None
    warning: str | None


@bp.app_template_global()
def backup_status() -> BackupStatus:
    """The last good backup and the warning, for templates/admin/_backup_status.html."""
    dest_dir = settings_for(current_app).dest_dir
    return BackupStatus(last_good_backup(dest_dir), backup_warning(dest_dir))


@bp.route("/backups")
def backups():
    """The backups in the backup folder with their checksums, and how to restore one."""
    settings = settings_for(current_app)
    return render_template("admin/backups.html", backups=list_backups(settings.dest_dir), settings=settings,
                           is_sqlite=sqlite_path_of(db) is not None,
                           warning=backup_warning(settings.dest_dir))


@bp.route("/backups/new", methods=["POST"])
def backup_create():
    """Sao lưu ngay: back up the database, uploads and archives now."""
    result = backup_now(current_app)
    if result.ok:
        flash(f"Đã sao lưu dữ liệu: {result.path.name}.", "success")
    else:
        flash(f"Sao lưu thất bại: {result.message}", "error")
    return redirect(url_for("admin.backups"), 303)


@bp.route("/backups/file/<name>")
def backup_download(name: str):
    """Download a backup or its .sha256, found by exact name in the backup folder only."""
    path = backup_file(settings_for(current_app).dest_dir, name)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name,
                     mimetype="text/plain" if path.name.endswith(".sha256") else "application/zip")
