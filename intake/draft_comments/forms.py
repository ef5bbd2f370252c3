"""The comment form of a draft document's page."""

from django import forms

from portal_intake import site
from portal_intake.forms import ReaderForm, text_field


class CommentForm(ReaderForm):
    """Name, contact, district, section and the comment."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        label = site.place_label()
        self.fields["district"] = forms.ChoiceField(
            label=label,
            choices=[("", "— Chọn nơi ở —"), *((d, d) for d in site.districts())],
            error_messages={
                "required": f"Xin vui lòng chọn {label[:1].lower()}{label[1:]}.",
                "invalid_choice": "Địa bàn không có trong danh sách; xin chọn lại.",
            },
        )
        self.fields["text"] = text_field(
            "Nội dung góp ý", "comment", required=True, textarea=True
        )
