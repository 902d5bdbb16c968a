"""`flask --app app backup` and `flask --app app restore FILE` for the school's IT person."""
from datetime import datetime
from pathlib import Path

import click
from flask import Flask

from models.backup.backups import backup_now, restore_backup, settings_for
from models.rules.dates import format_datetime


def register_backup_commands(app: Flask) -> None:
    @app.cli.command("backup")
    @click.option("--to", "dest", type=click.Path(file_okay=False), default=None,
                  help="Folder to write into (e.g. a USB disk); default BACKUP_DIR or instance/backups.")
    def backup(dest):
        """Back up the database, uploads and archives now; prints the archive and its SHA-256."""
        result = backup_now(app, dest_dir=dest)
        if not result.ok:
            click.echo(f"Sao lưu thất bại: {result.message}", err=True)
            raise SystemExit(1)
        click.echo(f"Đã sao lưu: {result.path}")
        click.echo(f"SHA-256: {result.sha256}")
        if result.pruned:
            click.echo("Đã xoá bản cũ vượt số lượng giữ lại: " + ", ".join(result.pruned))

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def restore(file, yes):
        """Restore a backup (stop the server first); the replaced database is kept in instance/replaced/."""
        settings = settings_for(app)
        archive = Path(file)
        if not archive.exists() and (settings.dest_dir / file).exists():
            archive = settings.dest_dir / file  # a bare name from the backup folder
        click.echo("Hãy dừng máy chủ SổTrường trước khi khôi phục (Ctrl+C ở cửa sổ đang chạy máy chủ).")
        if not yes and not click.confirm(
                f"Khôi phục sẽ thay thế cơ sở dữ liệu hiện tại bằng bản sao lưu {archive.name}. Tiếp tục?",
                default=False):
            click.echo("Đã huỷ, không thay đổi gì.")
            return
        result = restore_backup(archive, app.config["DATABASE_URL"], upload_dir=app.config.get("UPLOAD_DIR"))
        if not result.ok:
            click.echo(f"Không khôi phục: {result.message}", err=True)
            raise SystemExit(1)
        click.echo(result.message)
        created = datetime.fromisoformat(result.manifest["created_at"])
        click.echo(f"Bản sao lưu lập lúc {format_datetime(created)}; "
                   f"đã khôi phục {result.uploads_restored} tệp tải lên.")
        if result.replaced_path:
            click.echo(f"Cơ sở dữ liệu trước khi khôi phục được giữ tại: {result.replaced_path}")
        click.echo("Bây giờ có thể khởi động lại máy chủ.")
