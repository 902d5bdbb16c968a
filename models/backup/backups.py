"""Backups of the SQLite database with the uploads and year-end archives, their checks, and restore.

A backup is one zip named sotruong-YYYYMMDD-HHMMSS.zip holding an online copy of the database
(made with SQLite's backup API, never a file copy of a live database), the uploaded files, the
year-end archives up to a size cap, and manifest.json with the SHA-256 of every member; its own
SHA-256 sits beside it in a .sha256 file (sha256sum format). A PostgreSQL deployment backs up with
pg_dump instead: these functions refuse it with that advice.
"""
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from peewee import SqliteDatabase

from models.core import db, write_transaction

log = logging.getLogger("sotruong.backup")

ARCHIVE_RE = re.compile(r"sotruong-(\d{8})-(\d{6})\.zip")
# what the admin may download: an archive or its checksum, by name only
DOWNLOAD_RE = re.compile(r"sotruong-\d{8}-\d{6}\.zip(\.sha256)?")
DB_MEMBER = "sotruong.db"
MANIFEST = "manifest.json"
DEFAULT_KEEP = 14
DEFAULT_AT = "02:00"
ARCHIVE_CAP_BYTES = 50 * 1024 * 1024  # a year-end archive file larger than this is listed, not copied
WARN_AFTER = timedelta(days=2)

POSTGRES_ADVICE = ("Cơ sở dữ liệu là PostgreSQL: hãy sao lưu bằng pg_dump và khôi phục bằng pg_restore "
                   "(xem hướng dẫn trong README); chức năng sao lưu này chỉ dùng cho SQLite.")

# one backup at a time in this process: the nightly thread and the admin button may meet
_backup_lock = threading.Lock()


@dataclass(frozen=True)
class Folder:
    """A folder copied into the backup under `name`; files above max_bytes are only listed."""

    name: str
    path: Path
    max_bytes: int | None = None


@dataclass
class BackupResult:
    ok: bool
    message: str
    path: Path | None = None
    sha256: str = ""
    manifest: dict = field(default_factory=dict)
    pruned: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    ok: bool
    message: str
    replaced_path: Path | None = None
    manifest: dict = field(default_factory=dict)
    uploads_restored: int = 0


@dataclass
class BackupInfo:
    name: str
    path: Path
    created_at: datetime
    size: int
    checksum_ok: bool
    audit_head: object = None  # models.audit_check.replay.HeadMark read beside the archive, None when missing


@dataclass
class BackupSettings:
    dest_dir: Path
    keep: int
    at: str
    folders: list[Folder]


# --- settings ----------------------------------------------------------------------------------------

def settings_for(app) -> BackupSettings:
    """BACKUP_DIR, BACKUP_KEEP, BACKUP_AT from the app config (instance/config.py) or the environment."""
    def setting(key: str, default):
        value = app.config.get(key)
        if value is None or value == "":
            value = os.environ.get(key, "")
        return default if value is None or value == "" else value

    instance = Path(app.instance_path)
    try:
        keep = int(setting("BACKUP_KEEP", DEFAULT_KEEP))
    except ValueError:
        keep = DEFAULT_KEEP
    return BackupSettings(
        dest_dir=Path(setting("BACKUP_DIR", instance / "backups")),
        keep=max(1, keep),
        at=str(setting("BACKUP_AT", DEFAULT_AT)).strip(),
        folders=[Folder("uploads", Path(app.config.get("UPLOAD_DIR") or instance / "uploads")),
                 Folder("archive", instance / "archive", ARCHIVE_CAP_BYTES)],
    )


def sqlite_path_of(database) -> Path | None:
    """The file of a peewee SQLite database (or of the proxy's database); None for PostgreSQL."""
    database = getattr(database, "obj", database)
    if not isinstance(database, SqliteDatabase) or database.database in ("", ":memory:"):
        return None
    return Path(database.database).resolve()


def sqlite_path_from_url(url: str) -> Path | None:
    """The file named by sqlite:///path (as models.core.database.open_database reads it); None otherwise."""
    if not url.startswith(("sqlite:", "sqlite+pool:")) or ":///" not in url:
        return None
    return Path(url.split(":///", 1)[1].split("?", 1)[0]).resolve()


# --- checks ------------------------------------------------------------------------------------------

def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def integrity_check(path: Path) -> str:
    """PRAGMA integrity_check of a database file: "ok" or the first problems it reports."""
    try:
        conn = sqlite3.connect(path)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        return str(e)
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])


def _sha256_file_for(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


def _read_sha256_file(archive: Path) -> str | None:
    try:
        text = _sha256_file_for(archive).read_text(encoding="utf-8").split()
    except OSError:
        return None
    return text[0].lower() if text else None


_checksum_cache: dict[tuple, bool] = {}


def checksum_ok(archive: Path) -> bool:
    """Recompute the archive's SHA-256 and compare it with its .sha256 file (cached per size and mtime)."""
    try:
        stat = archive.stat()
        side = _sha256_file_for(archive).stat()
    except OSError:
        return False
    key = (str(archive), stat.st_size, stat.st_mtime_ns, side.st_mtime_ns)
    if key not in _checksum_cache:
        _checksum_cache[key] = _read_sha256_file(archive) == file_sha256(archive)
    return _checksum_cache[key]


# --- making a backup ---------------------------------------------------------------------------------

def _app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sotruong")
    except PackageNotFoundError:
        return "unknown"


def _snapshot_facts(path: Path) -> dict:
    """Counts and the audit chain head as they are in the copy itself (not the live database)."""
    from models.audit.log import GENESIS

    conn = sqlite3.connect(path)
    try:
        def count(table: str) -> int:
            try:
                return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            except sqlite3.OperationalError:
                return 0
        try:
            row = conn.execute("SELECT hash, id, at FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
        except sqlite3.OperationalError:
            row = None
        return {"audit_head": row[0] if row else GENESIS, "audit_head_id": row[1] if row else 0,
                "audit_head_at": str(row[2]).replace(" ", "T")[:19] if row else "",
                "counts": {"students": count("student"), "staff": count("staff"),
                           "audit_entries": count("audit_entry")}}
    finally:
        conn.close()


def _online_copy(source: Path, target: Path) -> None:
    """Copy a live database with SQLite's backup API, in one step, as a self-contained file."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        # the copy carries the source's WAL flag; a rollback journal keeps it a single file
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


# uploads/imports holds class lists waiting for their preview (kept a day at most): not the school's records
_NOT_BACKED_UP = ("uploads/imports/",)


def _folder_members(folder: Folder) -> tuple[list[tuple[str, Path]], list[dict]]:
    """(arcname, file) pairs to copy, and the files only listed (too large) with size and SHA-256."""
    copied, listed = [], []
    if not folder.path.is_dir():
        return copied, listed
    for path in sorted(p for p in folder.path.rglob("*") if p.is_file() and not p.is_symlink()):
        if f"{folder.name}/{path.relative_to(folder.path).as_posix()}".startswith(_NOT_BACKED_UP):
            continue
        arcname = f"{folder.name}/{path.relative_to(folder.path).as_posix()}"
        size = path.stat().st_size
        if folder.max_bytes is not None and size > folder.max_bytes:
            listed.append({"path": arcname, "size": size, "sha256": file_sha256(path)})
        else:
            copied.append((arcname, path))
    return copied, listed


def _free_name(dest_dir: Path, now: datetime) -> tuple[str, datetime]:
    # two backups in the same second (a double click): the second takes the next free second
    while (dest_dir / f"sotruong-{now:%Y%m%d-%H%M%S}.zip").exists():
        now += timedelta(seconds=1)
    return f"sotruong-{now:%Y%m%d-%H%M%S}.zip", now


@contextmanager
def _connected():
    """Use the open connection (a request's), or open one for the block (CLI, nightly thread)."""
    if db.is_closed():
        with db.connection_context():
            yield
    else:
        yield


def _record(action: str, name: str, after: dict, reason: str = "") -> None:
    """One audit entry about a backup or restore; a failure to record is logged, not raised."""
    from models.audit.log import record

    try:
        with _connected():
            with write_transaction():
                record(action, "backup", name, after=after, reason=reason)
    except Exception:  # the database itself may be what failed
        log.exception("could not record %s of %s in the audit log", action, name)


def make_backup(database, dest_dir, retention: int = DEFAULT_KEEP, extra_dirs: list[Folder] | None = None,
                now: datetime | None = None) -> BackupResult:
    """Back up the running SQLite database with the extra folders into dest_dir; prune beyond retention."""
    source = sqlite_path_of(database)
    if source is None:
        return BackupResult(False, POSTGRES_ADVICE)
    dest_dir = Path(dest_dir)
    with _backup_lock:
        name, now = _free_name(dest_dir, now or datetime.now())
        try:
            dest_dir.mkdir(parents=True, exist_ok=True)
            result = _write_archive(source, dest_dir, name, now, extra_dirs or [])
        except OSError as e:
            result = BackupResult(False, f"Không ghi được bản sao lưu vào {dest_dir}: {e.strerror or e}.")
        if result.ok:
            result.pruned = prune_backups(dest_dir, retention)
    if result.ok:
        _record("backup", name, {"ok": True, "file": str(result.path), "sha256": result.sha256,
                                 "size": result.path.stat().st_size, "pruned": result.pruned})
        log.info("backup written: %s", result.path)
    else:
        _record("backup", name, {"ok": False, "folder": str(dest_dir)}, reason=result.message)
        log.error("backup failed: %s", result.message)
    return result


def _write_archive(source: Path, dest_dir: Path, name: str, now: datetime, folders: list[Folder]) -> BackupResult:
    final = dest_dir / name
    with tempfile.TemporaryDirectory(prefix=".sotruong-backup-", dir=dest_dir) as tmp:
        copy = Path(tmp) / DB_MEMBER
        try:
            _online_copy(source, copy)
        except sqlite3.Error as e:
            return BackupResult(False, f"Không sao chép được cơ sở dữ liệu: {e}.")
        check = integrity_check(copy)
        if check != "ok":
            return BackupResult(False, f"Bản sao cơ sở dữ liệu không đạt kiểm tra toàn vẹn ({check}); "
                                       "bản sao lưu đã bị huỷ.")
        members = {DB_MEMBER: file_sha256(copy)}
        files = [(DB_MEMBER, copy)]
        listed = []
        for folder in folders:
            copied, too_large = _folder_members(folder)
            for arcname, path in copied:
                members[arcname] = file_sha256(path)
            files += copied
            listed += too_large
        manifest = {
            "format": 1,
            "created_at": now.isoformat(timespec="seconds"),
            "app_version": _app_version(),
            "database": "sqlite",
            **_snapshot_facts(copy),
            "members": members,
            "listed_only": listed,
        }
        part = Path(tmp) / (name + ".part")
        with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            for arcname, path in files:
                zf.write(path, arcname)
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
        digest = file_sha256(part)
        os.replace(part, final)
    side = _sha256_file_for(final)
    side_part = side.with_name(side.name + ".part")
    side_part.write_text(f"{digest}  {name}\n", encoding="utf-8")
    os.replace(side_part, side)
    # the chain head outside the database too: `audit-verify --head` proves the log still holds it
    from models.audit_check.replay import HeadMark, write_head_file

    write_head_file(final, HeadMark(manifest["audit_head"], manifest["audit_head_id"], manifest["audit_head_at"]))
    return BackupResult(True, f"Đã sao lưu vào {final}.", final, digest, manifest)


def prune_backups(dest_dir, keep: int) -> list[str]:
    """Delete the oldest archives (and their .sha256) beyond `keep`; only files named like a backup."""
    dest_dir = Path(dest_dir)
    archives = sorted(p.name for p in dest_dir.iterdir() if p.is_file() and ARCHIVE_RE.fullmatch(p.name))
    pruned = archives[:max(0, len(archives) - max(1, keep))]
    for name in pruned:
        for path in (dest_dir / name, dest_dir / (name + ".sha256"), dest_dir / (name + ".audit-head")):
            path.unlink(missing_ok=True)
    return pruned


# --- listing -----------------------------------------------------------------------------------------

def created_at_of(name: str) -> datetime | None:
    match = ARCHIVE_RE.fullmatch(name)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def list_backups(dest_dir) -> list[BackupInfo]:
    """The backups in the folder, newest first, each with its checksum verified and its audit chain head."""
    from models.audit_check.replay import read_head_file

    dest_dir = Path(dest_dir)
    if not dest_dir.is_dir():
        return []
    found = []
    for path in dest_dir.iterdir():
        at = created_at_of(path.name)
        if at is None or not path.is_file():
            continue
        found.append(BackupInfo(path.name, path, at, path.stat().st_size, checksum_ok(path), read_head_file(path)))
    return sorted(found, key=lambda b: b.name, reverse=True)


def _configured_dir():
    from flask import current_app

    return settings_for(current_app).dest_dir


def last_good_backup(dest_dir=None) -> BackupInfo | None:
    """The newest backup whose checksum matches (in the app's backup folder unless dest_dir is given)."""
    return next((b for b in list_backups(dest_dir or _configured_dir()) if b.checksum_ok), None)


def backup_warning(dest_dir=None, now: datetime | None = None) -> str | None:
    """A warning for the admin home when no good backup exists or the last one is over two days old."""
    last = last_good_backup(dest_dir)
    if last is None:
        return "Chưa có bản sao lưu dữ liệu nào đạt kiểm tra. Hãy sao lưu ngay."
    if (now or datetime.now()) - last.created_at > WARN_AFTER:
        return (f"Bản sao lưu tốt gần nhất là lúc {last.created_at:%d/%m/%Y %H:%M}, đã quá hai ngày. "
                "Hãy sao lưu ngay và kiểm tra việc sao lưu hằng đêm.")
    return None


def backup_file(dest_dir, name: str) -> Path | None:
    """A backup archive or .sha256 in the folder by its exact name; None for any other name."""
    if not DOWNLOAD_RE.fullmatch(name):
        return None
    path = Path(dest_dir) / name
    return path if path.is_file() else None


# --- restore -----------------------------------------------------------------------------------------

def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and ".." not in parts and "" not in parts


def _verified_manifest(archive: Path, zf: zipfile.ZipFile) -> dict:
    """The manifest, after checking every member against it; ValueError in Vietnamese otherwise."""
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        members = manifest["members"]
    except (KeyError, ValueError):
        raise ValueError("Tệp sao lưu không có bảng kê (manifest.json) hợp lệ.") from None
    if DB_MEMBER not in members:
        raise ValueError("Tệp sao lưu không chứa cơ sở dữ liệu.")
    names = set(zf.namelist()) - {MANIFEST}
    if names != set(members):
        raise ValueError("Danh sách tệp trong bản sao lưu không khớp với bảng kê.")
    for name, expected in members.items():
        if not _safe_member(name):
            raise ValueError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {name}.")
        digest = hashlib.sha256()
        with zf.open(name) as f:
            for chunk in iter(lambda: f.read(1024 * 1024), b""):
                digest.update(chunk)
        if digest.hexdigest() != expected:
            raise ValueError(f"Tệp {name} trong bản sao lưu không khớp mã kiểm tra.")
    return manifest


def _keep_current(target: Path, replaced_dir: Path, now: datetime) -> Path | None:
    """Put the current database aside; through the backup API when readable (WAL included), else the files."""
    if not target.exists():
        return None
    replaced_dir.mkdir(parents=True, exist_ok=True)
    kept = replaced_dir / f"sotruong-before-restore-{now:%Y%m%d-%H%M%S}.db"
    n = 1
    while kept.exists():
        kept = replaced_dir / f"sotruong-before-restore-{now:%Y%m%d-%H%M%S}-{n}.db"
        n += 1
    try:
        _online_copy(target, kept)
    except sqlite3.DatabaseError:
        # not readable as a database (overwritten, truncated): keep its files exactly as they are
        kept.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(target) + suffix)
            if part.exists():
                shutil.copy2(part, Path(str(kept) + suffix))
    return kept


def _put_in_place(restored: Path, target: Path) -> None:
    """Write the restored database into the target: through SQLite when it can, else replace the files."""
    try:
        src = sqlite3.connect(restored)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        if integrity_check(target) == "ok":
            return
    except sqlite3.DatabaseError:
        pass
    # the current file is not a database SQLite can write into: it was kept aside, replace it whole
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copy2(restored, staged)
    os.replace(staged, target)


def _close_connections(target: Path) -> None:
    """Close this process's pooled connections to the target so none keeps the old file open."""
    if sqlite_path_of(db) == target:
        db.obj.close_all()


def restore_backup(archive_path, database_url: str, *, upload_dir=None, replaced_dir=None,
                   now: datetime | None = None) -> RestoreResult:
    """Verify an archive and put its database (and uploads) in place, keeping the current one aside.

    The current database is kept in replaced_dir, by default the folder `replaced` beside it
    (instance/replaced/ for the default instance/sotruong.db).
    """
    target = sqlite_path_from_url(database_url)
    if target is None:
        return RestoreResult(False, POSTGRES_ADVICE)
    archive = Path(archive_path)
    now = now or datetime.now()
    replaced_dir = Path(replaced_dir) if replaced_dir else target.parent / "replaced"
    if not archive.is_file():
        return RestoreResult(False, f"Không tìm thấy tệp sao lưu {archive}.")
    expected = _read_sha256_file(archive)
    if expected is None:
        return RestoreResult(False, f"Thiếu tệp mã kiểm tra {archive.name}.sha256 bên cạnh bản sao lưu; "
                                    "không khôi phục.")
    if file_sha256(archive) != expected:
        return RestoreResult(False, "Mã kiểm tra SHA-256 của tệp sao lưu không khớp: tệp đã bị hỏng hoặc bị sửa. "
                                    "Cơ sở dữ liệu hiện tại được giữ nguyên.")
    try:
        with tempfile.TemporaryDirectory(prefix=".sotruong-restore-", dir=target.parent) as tmp:
            restored = Path(tmp) / DB_MEMBER
            with zipfile.ZipFile(archive) as zf:
                manifest = _verified_manifest(archive, zf)
                with zf.open(DB_MEMBER) as src, open(restored, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
                check = integrity_check(restored)
                if check != "ok":
                    raise ValueError(f"Cơ sở dữ liệu trong bản sao lưu không đạt kiểm tra toàn vẹn ({check}).")
                uploads = 0
                if upload_dir:
                    uploads = _restore_uploads(zf, manifest, Path(upload_dir))
            _close_connections(target)
            kept = _keep_current(target, replaced_dir, now)
            _put_in_place(restored, target)
    except (ValueError, zipfile.BadZipFile) as e:
        message = str(e) if isinstance(e, ValueError) else "Tệp sao lưu không phải tệp zip hợp lệ."
        return RestoreResult(False, message + " Cơ sở dữ liệu hiện tại được giữ nguyên.")
    except (OSError, sqlite3.Error) as e:
        return RestoreResult(False, f"Không khôi phục được: {e}. Cơ sở dữ liệu hiện tại được giữ nguyên "
                                    "(nếu đã bắt đầu thay thế, bản cũ nằm trong thư mục replaced).")
    result = RestoreResult(True, f"Đã khôi phục từ {archive.name}.", kept, manifest, uploads)
    if sqlite_path_of(db) == target:
        from models.core.database import migrate

        with _connected():
            migrate()  # an archive from an older version gets the newer tables
        _record("restore", archive.name, {"ok": True, "created_at": manifest.get("created_at"),
                                          "replaced": str(kept) if kept else ""})
    return result


def _restore_uploads(zf: zipfile.ZipFile, manifest: dict, upload_dir: Path) -> int:
    """Write the archive's uploaded files back; files added since the backup stay where they are."""
    count = 0
    for name in manifest["members"]:
        if not name.startswith("uploads/"):
            continue
        path = upload_dir / name.removeprefix("uploads/")
        path.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(name) as src, open(path, "wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        count += 1
    return count


# --- the app: now and every night --------------------------------------------------------------------

def backup_now(app, dest_dir=None, now: datetime | None = None) -> BackupResult:
    """A backup with the app's settings (BACKUP_DIR or dest_dir, BACKUP_KEEP, uploads, archives)."""
    settings = settings_for(app)
    return make_backup(db, dest_dir or settings.dest_dir, settings.keep, settings.folders, now=now)


def seconds_until(at: str, now: datetime) -> float:
    """Seconds from now to the next HH:MM local time (tomorrow when it has passed today)."""
    hour, minute = (int(part) for part in at.split(":"))
    target = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds()


def nightly_backup(app) -> BackupResult | None:
    """One nightly run: never raises, a failure is logged (and recorded by make_backup)."""
    try:
        with app.app_context():
            return backup_now(app)
    except Exception:
        log.exception("nightly backup failed")
        return None


def start_nightly_backups(app) -> threading.Thread | None:
    """Start the daemon thread that backs up every night at BACKUP_AT ("02:00"; "off" disables it)."""
    settings = settings_for(app)
    if sqlite_path_of(db) is None:
        log.warning("nightly backup not started: %s", POSTGRES_ADVICE)
        return None
    if settings.at.lower() in ("off", "tat", "tắt", "no", "0"):
        return None
    try:
        seconds_until(settings.at, datetime.now())
    except ValueError:
        log.error("BACKUP_AT %r is not HH:MM; nightly backup not started", settings.at)
        return None
    if "sotruong_backup_stop" in app.extensions:
        return None
    stop = threading.Event()
    app.extensions["sotruong_backup_stop"] = stop

    def loop():
        while not stop.wait(seconds_until(settings.at, datetime.now())):
            nightly_backup(app)

    thread = threading.Thread(target=loop, name="sotruong-nightly-backup", daemon=True)
    thread.start()
    log.info("nightly backup at %s into %s", settings.at, settings.dest_dir)
    return thread
