"""Lead images: ``article.lead_image`` for templates, and its variant files.

At ``article_generator_finalized`` every article (published, hidden and
draft) whose ``Image`` names a file under PATH gets ``article.lead_image``, a
:class:`~lead_images.planning.LeadImage`; every other article gets None. The
plan of the variants goes into the shared context, and
:class:`LeadImageGenerator` writes them to ``OUTPUT_PATH/<FOLDER>/``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from build_cache import Scope, build_key
from build_cache.engine import require_incremental_engine
from content_problems import ContentProblem, report_problem
from content_tree import LinkResolver, link_resolver
from worker_processes import RunBeside, process_context, shares_memory

from .planning import (
    LeadImageError,
    SourceImage,
    VariantPlan,
    read_source,
    resolve_source,
)
from .settings import cache_folder, lead_image_settings
from .variants import WriteReport, lacking, write_variants

logger = logging.getLogger(__name__)

# The context key under which the build's plan waits for the generator.
PLAN_KEY = "lead_image_plan"


def attach_lead_images(generator) -> None:
    """Give every article its ``lead_image``; put the variants' plan in the context."""
    config = lead_image_settings(generator.settings)
    content_root = Path(generator.settings["PATH"])
    articles = [*generator.articles, *generator.hidden_articles]
    if generator.settings.get("DRAFT_SAVE_AS"):
        # Drafts have pages only where they are written (the preview): a
        # production build publishes no copy of an unpublished article's image.
        articles += generator.drafts
    sources: dict[Path, SourceImage | LeadImageError] = {}
    shown: list[tuple[object, SourceImage]] = []
    links = link_resolver(generator.settings)
    for article in articles:
        article.lead_image = None
        source = _source_of(article, content_root, links, sources)
        if source is not None:
            shown.append((article, source))
    plan = VariantPlan(
        {source for _, source in shown},
        config["WIDTHS"],
        config["QUALITY"],
        config["FOLDER"],
        config["CROPS"],
    )
    for article, source in shown:
        caption = getattr(article, "image_caption", None)
        caption = Markup(caption) if caption else None
        alt = (caption or Markup(article.title)).unescape()
        article.lead_image = plan.lead_image(source, alt, caption)
    generator.context[PLAN_KEY] = plan
    logger.debug(
        "Ảnh đại diện: %d bài, %d ảnh gốc, %d ảnh cỡ nhỏ",
        len(shown),
        len(plan.variants),
        len(plan),
    )


def _source_of(
    article,
    content_root: Path,
    links: LinkResolver,
    sources: dict[Path, SourceImage | LeadImageError],
) -> SourceImage | None:
    """The source image of an article; its problem is reported for each article."""
    value = article.metadata.get("image")
    if not value:
        return None
    line = article.metadata.get("field_lines", {}).get("image", 1)
    path = resolve_source(str(value), Path(article.source_path), links)
    if path is None:
        logger.warning(
            "%s",
            ContentProblem(
                article.source_path,
                line,
                "Image",
                f'"{value}" không phải ảnh của trang nên không có bản cỡ nhỏ; '
                "hãy chép ảnh vào content/images/ và ghi {static}/images/<tên tệp>",
            ),
        )
        return None
    if path not in sources:
        try:
            sources[path] = read_source(path, content_root)
        except LeadImageError as error:
            sources[path] = error
    source = sources[path]
    if isinstance(source, LeadImageError):
        problem = ContentProblem(
            article.source_path, line, "Image", f'"{value}": {source}'
        )
        report_problem(
            problem
            if article.metadata.get("for_readers", True)
            else problem.not_blocking()
        )
        return None
    return source


class LeadImageGenerator(Generator):
    """Writes the variants of the lead images, through the cache."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config = lead_image_settings(self.settings)
        self.cache = cache_folder(self.settings, self.config)
        # The variants the cache lacks, being made beside the build.
        self.ahead: RunBeside | None = None

    def generate_context(self) -> None:
        """Start making the variants the cache lacks, beside the build.

        A cold build resizes every lead image (the bench's five photos, 30
        variants: 0.7 s) whatever the size of the site, while the other core
        waits for the pages. Where workers are forked, that starts here, in a
        process of its own, as the build reads on; ``generate_output`` then
        finds the variants in the cache and copies them, each one's digest
        checked, as it copies any cached variant. What that process failed to
        make, ``generate_output`` makes and reports.
        """
        plan = self.context.get(PLAN_KEY)
        processes = process_context(self.settings)
        if plan is None or not shares_memory(processes):
            return
        build = build_key(self.settings, Scope.CODE)
        if lacking(plan, self.cache, build):
            logger.debug("Ảnh đại diện: làm trước, trong một tiến trình riêng")
            self.ahead = RunBeside.start(
                processes, _made_beside, plan, self.cache, build
            )

    def generate_output(self, writer) -> None:
        """Write ``OUTPUT_PATH/<FOLDER>/<slug>-<width>-<h>.<ext>`` for each variant."""
        plan = self.context.get(PLAN_KEY)
        if plan is None:
            return
        made = (self.ahead.result() if self.ahead else None) or WriteReport()
        self.ahead = None
        report = write_variants(
            plan,
            lambda cached, name, accept: writer.copy_output(
                cached, f"{plan.folder}/{name}", accept
            ),
            self.cache,
            build_key(self.settings, Scope.CODE),
        )
        logger.info(
            "Ảnh đại diện: ghi %d ảnh cỡ nhỏ (%d ảnh mới từ %d ảnh gốc, còn lại "
            "lấy từ %s)",
            report.written,
            report.resized + made.resized,
            report.decoded + made.decoded,
            self.cache,
        )


def _made_beside(plan: VariantPlan, cache: Path, build: str) -> WriteReport:
    """Make the variants ``cache`` lacks, in a process of its own (``RunBeside``).

    It reports nothing: what fails is made again and reported by the build.
    """
    logging.disable(logging.CRITICAL)  # in that process only
    return write_variants(plan, lambda *_: True, cache, build)


def get_generators(_pelican) -> type[Generator]:
    """Add the lead image generator to the build."""
    return LeadImageGenerator


def need_incremental_engine(pelican) -> None:
    """Refuse a build without the incremental engine, whose writer this uses."""
    require_incremental_engine(pelican.settings, "lead_images")


def register() -> None:
    """Connect the lead images plugin to Pelican."""
    signals.initialized.connect(need_incremental_engine)
    signals.article_generator_finalized.connect(attach_lead_images)
    signals.get_generators.connect(get_generators)
