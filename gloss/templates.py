"""The theme's templates: a Jinja2 environment with Gloss's URL globals and filters, a loader that
refuses symbolic links, compiled templates kept between processes, and template errors reported at
their file and line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from .config import SiteConfig
from .errors import GlossError
from .symlinks import check_below
from .urls import archive_url, article_url, entity_url, entity_year_url, relative, tag_url
from .words import counted, in_words


def template_error(exc: jinja2.TemplateSyntaxError, config: SiteConfig) -> GlossError:
    path = Path(exc.filename) if exc.filename else config.theme_dir / "templates" / (exc.name or "?")
    try:
        path = path.relative_to(config.root)
    except ValueError:
        pass
    return GlossError(f"template syntax error: {exc.message}", path, exc.lineno, 1,
                      hint="fix the Jinja2 tag on this line")


class TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in `.gloss-cache/templates/`: compiling the theme took 40 ms in every
    process that renders, loading it 2 ms. Jinja2 compiles a template again when its source changed;
    like the parse cache, the folder is safe to delete, and a file that cannot be read or written
    only costs that compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged file: Jinja2 checks only its header and source checksum
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class TemplateLoader(jinja2.FileSystemLoader):
    """theme/templates/, refusing a template that is a symbolic link or is reached through one
    (gloss/symlinks.py); `include` and `extends` load through here too."""

    def __init__(self, config: SiteConfig) -> None:
        super().__init__(str(config.theme_dir / "templates"))
        self.root = config.root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        check_below(Path(self.searchpath[0]), Path(filename), self.root)
        return source, filename, uptodate


def jinja_env(config: SiteConfig, code_cache: Path | None = None) -> jinja2.Environment:
    """The theme's templates; one environment can serve many builds (it caches compiled templates),
    and `code_cache` keeps them compiled between processes (see TemplateCodeCache).

    Without `auto_reload` Jinja2 does not look at each template file's time again for every page (two
    stat calls a page, 45,000 at 10,000 articles): the builder makes a new environment whenever a file
    of the theme changes."""
    bytecode_cache = None
    if code_cache is not None:
        with contextlib.suppress(OSError):
            code_cache.mkdir(parents=True, exist_ok=True)
            bytecode_cache = TemplateCodeCache(str(code_cache))
    env = jinja2.Environment(
        loader=TemplateLoader(config),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, auto_reload=False,
        bytecode_cache=bytecode_cache,
    )
    env.globals["url"] = _url
    env.globals["absolute_url"] = _absolute_url
    env.globals["article_url"] = article_url
    env.globals["entity_url"] = entity_url
    env.globals["tag_url"] = tag_url
    env.globals["archive_url"] = archive_url
    env.globals["entity_year_url"] = entity_year_url
    # The same as filters: a filter is called straight from the template's code, a function through
    # the context's call machinery (2.1 against 0.5 µs for `url(article_url(slug))` in a list of 2,000).
    for name in ("url", "article_url", "entity_url", "tag_url", "archive_url", "entity_year_url"):
        env.filters[name] = env.globals[name]
    env.filters["counted"] = counted
    env.filters["in_words"] = in_words
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["longdate"] = lambda d: f"{d.day} {d.strftime('%B %Y')}" if d else ""
    return env


@jinja2.pass_context
def _url(context: Any, target: str) -> str:
    page = context["page"]
    return relative(page.path, target) if page.root is None else page.root + target


@jinja2.pass_context
def _absolute_url(context: Any, target: str) -> str:
    base = context["site"].base_url
    return base.rstrip("/") + "/" + target if base else target


__all__ = ["jinja_env", "template_error"]
