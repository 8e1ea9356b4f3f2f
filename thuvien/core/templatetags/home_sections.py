"""`{% home_section section %}`: one section of the home page (see `core.home`), rendered like an
`{% include %}` of its template with the section's context added to the page's."""

from __future__ import annotations

from django import template
from django.template import Engine
from django.utils.safestring import SafeString

from thuvien.core.home import Section

register = template.Library()


@register.simple_tag(takes_context=True)
def home_section(context: template.Context, section: Section) -> SafeString:
    engine = context.template.engine if context.template is not None else Engine.get_default()
    included = engine.get_template(section.template)
    with context.push(section.context):
        return included.render(context)
