"""Two console errors on every page, removed at the source: sphinx-thebe's duplicated config
script, and the theme's complaint about an unset default colour mode."""
from __future__ import annotations


def set_default_mode(app, config):
    # Without a default the theme's script logs "Got invalid theme mode" on a reader's first visit.
    config.html_context.setdefault("default_mode", "auto")


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """sphinx-thebe 0.3.1 registers its config script twice; the second `const` is a JS error."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = tuple(sorted(getattr(script, "attributes", {}).items()))
        key = (getattr(script, "filename", script) or "", attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("config-inited", set_default_mode)
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
