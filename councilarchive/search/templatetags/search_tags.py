from django import template

from councilarchive.search import snippets

register = template.Library()


@register.filter
def highlight(snippet):
    """{{ result.snippet|highlight }}: escaped document text with <mark>ed matches."""
    return snippets.highlight(snippet)
