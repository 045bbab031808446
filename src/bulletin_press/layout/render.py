"""Stage 5: template context → one HTML document (markup only, no layout)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from bulletin_press.diagnostics import BuildError, Location, error
from bulletin_press.i18n import _
from bulletin_press.layout.context import IssueContext, justify_places
from bulletin_press.layout.specs import Layout, template_environment


@dataclass(frozen=True)
class RenderedHtml:
    html: str
    templates: tuple[str, ...]  # template files the render used (for the preview's watcher)


class LaterHtml(RenderedHtml):
    """`render_html(layout, context)`, rendered when first asked for: the page plan's
    rounds make a new context each (build/page_fit.py `planned`), whose whole-issue
    HTML only the one-document build reads; the page-run build renders each run's
    own (~5 ms a round of the main process while the workers wait, bench-16)."""

    _source: tuple[Layout, IssueContext]  # (not a field: this class is no dataclass)

    def __init__(self, layout: Layout, context: IssueContext) -> None:
        object.__setattr__(self, "_source", (layout, context))

    @functools.cached_property
    def _rendered(self) -> RenderedHtml:
        layout, context = self._source
        return render_html(layout, context)

    @property
    def html(self) -> str:
        return self._rendered.html

    @property
    def templates(self) -> tuple[str, ...]:
        return self._rendered.templates


def render_html(layout: Layout, context: IssueContext) -> RenderedHtml:
    env = template_environment(layout)
    used: list[str] = []
    try:
        template = env.get_template(layout.spec.template)
        # page_css is generated from layout.yaml only; it must reach <style> unescaped.
        # The places a short column may be filled at (typeset/ext/vertical_justify.py).
        values = dict(context, page_css=Markup(context["page_css"]),
                      flows=justify_places(context["flows"]))
        html = template.render(values)
        used = [t for t in env.list_templates() if t.endswith(".j2") and "/" not in t]
    except jinja2.TemplateSyntaxError as exc:
        path = layout.folder / (exc.filename or layout.spec.template)
        raise BuildError([error("layout.template-syntax", _("template error: {error}").format(
            error=exc.message), Location(path, exc.lineno), _("check the {% %} and {{ }} tags"))
                          ]) from None
    except jinja2.UndefinedError as exc:
        raise BuildError([error("layout.template-undefined", _("template uses {error}").format(
            error=exc.message), Location(layout.folder / layout.spec.template),
                                _("the template names a value the context does not have"))
                          ]) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError([error("layout.template-missing", _("template '{name}' not found")
                                .format(name=exc.name), Location(layout.folder))]) from None
    return RenderedHtml(html, tuple(used))
