"""Walk every URL pattern of the project and give each its full name (namespace:name)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"<unnamed {prefix}{entry.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), prefix + str(entry.pattern)


def all_url_names() -> dict[str, str]:
    """{full name: route} of every URL pattern the project serves."""
    return dict(_walk(get_resolver().url_patterns))
