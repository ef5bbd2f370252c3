"""The question form of ``/hoi-dap/``."""

from portal_intake.forms import ReaderForm, text_field


class QuestionForm(ReaderForm):
    """Name, contact, section and the question."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"] = text_field(
            "Câu hỏi", "question", required=True, textarea=True
        )
