"""The comment form of a draft document's page."""

from django import forms

from portal_intake import site
from portal_intake.forms import ReaderForm, text_field


class CommentForm(ReaderForm):
    """Name, contact, district, section and the comment."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.ChoiceField(
            label="Huyện, thị xã, thành phố",
            choices=[("", "— Chọn nơi ở —"), *((d, d) for d in site.districts())],
            error_messages={
                "required": "Xin vui lòng chọn huyện, thị xã, thành phố.",
                "invalid_choice": "Địa bàn không có trong danh sách; xin chọn lại.",
            },
        )
        self.fields["text"] = text_field(
            "Nội dung góp ý", "comment", required=True, textarea=True
        )
