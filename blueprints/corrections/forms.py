"""Forms of the correction workflow."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from models.rules.text import nfc


class CorrectionForm(FlaskForm):
    """The teacher's request: the new value (checked by the grid's parser, which also says how long a primary
    comment may be), why, and the evidence."""

    new_value = StringField("Giá trị mới", filters=[nfc],
                            validators=[Optional(), Length(max=2000, message="Giá trị mới quá dài.")])
    reason = TextAreaField("Lý do đề nghị sửa", validators=[
        DataRequired("Vui lòng nêu lý do đề nghị sửa."),
        Length(max=2000, message="Lý do dài quá 2000 kí tự.")])
    evidence = FileField("Tệp minh chứng (PDF, JPG hoặc PNG, tối đa 10 MB)")


class CommentForm(FlaskForm):
    """A comment on a step; required when returning or rejecting (the model function says so)."""

    comment = TextAreaField("Ý kiến", validators=[
        Optional(), Length(max=2000, message="Ý kiến dài quá 2000 kí tự.")])
