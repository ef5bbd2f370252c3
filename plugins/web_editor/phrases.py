"""The editor's Vietnamese words that Decap's own ``vi`` locale lacks.

Decap CMS 3.16 ships a ``vi`` locale with about 170 of the 248 phrases of its
English one: the Markdown toolbar (Bold, Link, Headings…), "Add %{item}",
"Set … to now", the media library's buttons and the notes pane stay in
English. ``portal-cms.js`` registers Decap's ``vi`` completed by these before
the editor starts; Decap's own translations are kept where it has them.
``tests/test_web_editor.py`` checks, with Decap's installed locales, that no
English phrase is left and that each of these keeps its ``%{placeholders}``.
"""

from __future__ import annotations

PHRASES_VI: dict = {
    "auth": {
        "loginWithAzure": "Đăng nhập bằng Azure",
        "loginWithForgejo": "Đăng nhập bằng Forgejo",
    },
    "collection": {
        "collectionTop": {
            "viewAsList": "Xem dạng danh sách",
            "viewAsGrid": "Xem dạng lưới",
            "groupBy": "Nhóm theo",
        },
        "entries": {"unpublishedHeader": "Bài chưa công bố"},
        "groups": {"other": "Khác", "negateLabel": "Không phải %{label}"},
    },
    "editor": {
        "editorControl": {"field": {"widgetLabel": "Trường %{widgetLabel}"}},
        "editorControlPane": {
            "i18n": {
                "writingInLocale": "Đang viết bằng %{locale}",
                "copyFromLocale": "Điền từ ngôn ngữ khác",
                "copyFromLocaleConfirm": (
                    "Điền dữ liệu từ ngôn ngữ %{locale}?\n"
                    "Mọi nội dung hiện có sẽ bị ghi đè."
                ),
            }
        },
        "editorInterface": {
            "toggleI18n": "Bật/tắt đa ngôn ngữ",
            "togglePreview": "Bật/tắt xem trước",
            "toggleScrollSync": "Cuộn đồng thời",
            "toggleNotes": "Bật/tắt ghi chú",
        },
        "editorNotesPane": {
            "title": "Ghi chú",
            "emptyState": (
                "Chưa có ghi chú. Thêm ghi chú đầu tiên ở dưới để cùng trao đổi."
            ),
            "addNote": "Thêm ghi chú",
            "addPlaceholder": "Thêm một ghi chú...",
            "editPlaceholder": "Sửa ghi chú...",
            "save": "Lưu",
            "cancel": "Huỷ",
            "edit": "Sửa",
            "delete": "Xoá",
            "resolve": "Đã xử lý",
            "unresolve": "Chưa xử lý",
            "confirmDelete": "Bạn có chắc muốn xoá ghi chú này?",
            "shortcut": "Mẹo: nhấn Ctrl+Enter để thêm ghi chú nhanh",
        },
        "editorToolbar": {
            "statusInfoTooltipDraft": (
                "Bài đang là bản nháp. Khi viết xong, chuyển trạng thái sang "
                "‘Đang xét duyệt’ để gửi duyệt."
            ),
            "statusInfoTooltipInReview": (
                "Bài đang được xét duyệt, không cần làm gì thêm. Bạn vẫn có thể "
                "sửa bài trong khi chờ duyệt."
            ),
        },
        "editorWidgets": {
            "markdown": {
                "bold": "Đậm",
                "italic": "Nghiêng",
                "strikethrough": "Gạch ngang",
                "code": "Mã",
                "link": "Liên kết",
                "linkPrompt": "Nhập địa chỉ (URL) của liên kết",
                "headings": "Tiêu đề mục",
                "quote": "Trích dẫn",
                "bulletedList": "Danh sách gạch đầu dòng",
                "numberedList": "Danh sách đánh số",
                "addComponent": "Thêm thành phần",
                "toggleMode": {
                    "rich": "Chuyển sang soạn thảo trực quan",
                    "markdown": "Chuyển sang soạn thảo Markdown",
                },
            },
            "image": {
                "chooseMultiple": "Chọn ảnh",
                "chooseUrl": "Chèn từ địa chỉ (URL)",
                "replaceUrl": "Thay bằng địa chỉ (URL)",
                "promptUrl": "Nhập địa chỉ (URL) của ảnh",
                "addMore": "Thêm ảnh",
                "removeAll": "Bỏ tất cả ảnh",
            },
            "file": {
                "chooseUrl": "Chèn từ địa chỉ (URL)",
                "chooseMultiple": "Chọn tệp",
                "replaceUrl": "Thay bằng địa chỉ (URL)",
                "promptUrl": "Nhập địa chỉ (URL) của tệp",
                "addMore": "Thêm tệp",
                "removeAll": "Bỏ tất cả tệp",
            },
            "datetime": {"setToNow": "Đặt %{fieldLabel} là bây giờ"},
            "list": {"add": "Thêm %{item}", "addType": "Thêm %{item}"},
            "object": {"expand": "Mở rộng", "collapse": "Thu gọn"},
        },
    },
    "mediaLibrary": {
        "mediaLibraryCard": {
            "copy": "Sao chép",
            "copyUrl": "Sao chép địa chỉ (URL)",
            "copyPath": "Sao chép đường dẫn",
            "copyName": "Sao chép tên",
            "copied": "Đã sao chép",
        },
        "mediaLibraryModal": {"close": "Đóng"},
    },
    "ui": {
        "settingsDropdown": {"account": "Tuỳ chọn tài khoản"},
        "toast": {
            "noteAdded": "Đã thêm ghi chú",
            "onFailToAddNote": "Không thêm được ghi chú: %{details}",
            "noteUpdated": "Đã cập nhật ghi chú",
            "onFailToUpdateNote": "Không cập nhật được ghi chú: %{details}",
            "noteDeleted": "Đã xoá ghi chú",
            "onFailToDeleteNote": "Không xoá được ghi chú: %{details}",
            "noteResolved": "Ghi chú đã xử lý",
            "noteReopened": "Ghi chú đã mở lại",
            "onFailToToggleNote": "Không đổi được trạng thái ghi chú: %{details}",
        },
    },
}
