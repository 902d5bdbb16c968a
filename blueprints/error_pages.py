"""The error pages: a Vietnamese page for a browser, a short message (toast) for an htmx request."""
from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from peewee import OperationalError

from blueprints import htmx, message_response
from blueprints.nfc_request import ControlCharacterRefused


def install(app: Flask) -> None:
    def _error(status: int, title: str, text: str):
        if htmx:
            return message_response(text, status)
        return render_template("error.html", status=status, title=title, text=text), status

    @app.errorhandler(403)
    def forbidden(e):
        return _error(403, "Không có quyền truy cập",
                      "Tài khoản của bạn không được phép mở trang này hoặc thao tác này.")

    @app.errorhandler(404)
    def not_found(e):
        return _error(404, "Không tìm thấy trang", "Địa chỉ này không tồn tại hoặc đã được chuyển đi.")

    @app.errorhandler(405)
    def not_allowed(e):
        return _error(405, "Thao tác không hợp lệ", "Trang này không nhận thao tác bạn vừa gửi.")

    @app.errorhandler(413)
    def too_large(e):
        if request.mimetype != "multipart/form-data":
            return _error(413, "Dữ liệu quá lớn", "Nội dung gửi lên quá lớn nên không được xử lý.")
        return _error(413, "Tệp quá lớn", "Tệp gửi lên vượt quá dung lượng cho phép.")

    @app.errorhandler(ControlCharacterRefused)
    def control_character(e):
        return _error(400, "Yêu cầu không hợp lệ", e.description)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return _error(400, "Phiên biểu mẫu không hợp lệ",
                      "Biểu mẫu đã hết hạn hoặc thiếu mã bảo vệ. Vui lòng tải lại trang rồi thử lại.")

    @app.errorhandler(400)
    def bad_request(e):
        return _error(400, "Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ.")

    @app.errorhandler(OperationalError)
    def database_unavailable(e):
        # database locked past the busy timeout, disk full, file unreadable: nothing was written
        app.logger.error("database error: %s", e)
        return _error(503, "Cơ sở dữ liệu tạm thời không ghi được",
                      "Máy chủ không ghi được dữ liệu lúc này (cơ sở dữ liệu đang bận hoặc ổ đĩa đã đầy). "
                      "Thao tác vừa rồi chưa được lưu; vui lòng thử lại sau ít phút.")

    @app.errorhandler(500)
    def server_error(e):
        return _error(500, "Lỗi máy chủ",
                      "Máy chủ gặp sự cố khi xử lý yêu cầu. Dữ liệu của thao tác này chưa được lưu.")

