"""The fields every reader's form shares, checked with Vietnamese messages."""

from __future__ import annotations

from django import forms

from . import site
from .protection import HONEYPOT_FIELD


def limit(name: str) -> int:
    """The longest value a field takes (``READER_FORMS["LIMITS"]``)."""
    return int(site.reader_forms()["LIMITS"][name])


def text_field(label: str, name: str, *, required: bool, textarea: bool = False):
    """A text field with its limit, in Vietnamese."""
    most = limit(name)
    return forms.CharField(
        label=label,
        required=required,
        max_length=most,
        strip=True,
        widget=forms.Textarea if textarea else forms.TextInput,
        error_messages={
            "required": f"Xin vui lòng nhập {label.lower()}.",
            "max_length": f"{label} dài tối đa {most} ký tự"
            " (hiện có %(show_value)d ký tự); xin rút gọn lại.",
        },
    )


class ReaderForm(forms.Form):
    """Name and contact (both optional), section, and the honeypot."""

    topic = forms.ChoiceField(
        label="Chuyên mục",
        error_messages={
            "required": "Xin vui lòng chọn chuyên mục.",
            "invalid_choice": "Chuyên mục không có trong danh sách; xin chọn lại.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "name": text_field("Họ và tên", "name", required=False),
            "contact": text_field(
                "Thư điện tử hoặc số điện thoại", "contact", required=False
            ),
            **self.fields,
            HONEYPOT_FIELD: forms.CharField(required=False, label="Để trống ô này"),
        }
        self.fields["topic"].choices = [("", "— Chọn chuyên mục —"), *site.topics()]

    def clean(self) -> dict:
        """A filled honeypot: a robot's form, refused without saying why."""
        data = super().clean()
        if data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                "Không gửi được biểu mẫu. Xin vui lòng tải lại trang và gửi lại."
            )
        return data
