"""``invoke report``: counts per section and review state, the review queue."""

from conftest import article_text, run_invoke


def test_report_counts_each_state_per_section(project):
    articles = project / "content" / "bai-viet"

    def write(name, **fields):
        (articles / f"{name}.md").write_text(article_text(**fields), encoding="utf-8")

    write("a", title="Đã đăng", category="IUU")
    write(
        "b", title="Chờ lâu", category="IUU", Status="review", date="2024-01-02 08:00"
    )
    write("c", title="Chờ ít", category="IUU", Status="review", date="2024-03-02 08:00")
    write("d", title="Nháp", category="Xây dựng Đảng", Status="draft")
    write("e", title="Hẹn giờ", category="Xây dựng Đảng", date="2099-01-01 08:00")
    write(
        "f",
        title="Gỡ",
        category="Xây dựng Đảng",
        Status="retracted",
        Retraction_note="Sai sự thật.",
        Retracted_at="2024-05-01 08:00",
    )
    done = run_invoke(project, "report")
    assert done.returncode == 0, done.stderr
    rows = {
        line.split("  ")[0].strip(): line.split()[-5:]
        for line in done.stdout.splitlines()[1:10]
    }
    # Columns: published, review, draft, scheduled, retracted.
    assert rows["Chống khai thác IUU"] == ["1", "2", "0", "0", "0"]
    assert rows["Xây dựng Đảng"] == ["0", "0", "1", "1", "1"]
    assert rows["Tổng cộng"] == ["1", "2", "1", "1", "1"]
    waiting = done.stdout.split("Chờ duyệt lâu nhất:")[1].strip().splitlines()
    assert "Chờ lâu" in waiting[0] and "Chờ ít" in waiting[1]
