"""Sending a PDF as a download with its Vietnamese name kept (print pages and the admin's registers)."""
from urllib.parse import quote

from flask import send_file

from models.printing.renderer import ascii_name


def pdf_download(source, name: str):
    """send_file with the UTF-8 name and a readable ASCII fallback (werkzeug's fallback drops "Đ")."""
    resp = send_file(source, mimetype="application/pdf", as_attachment=True, download_name=name)
    resp.headers["Content-Disposition"] = (f"attachment; filename={ascii_name(name)}; "
                                           f"filename*=UTF-8''{quote(name)}")
    return resp
