"""MkDocs hooks: Divulga's entry point, named in mkdocs.yml (`hooks:`).

The events live in the installed package (divulga.adapter.events, with
`pip install -e .`, the last line of requirements.txt); this file only hands
them to MkDocs, or to any engine that loads MkDocs hooks (ProperDocs).
"""

from divulga.adapter.events import (  # noqa: F401 - MkDocs looks the events up by name
    on_build_error,
    on_config,
    on_env,
    on_files,
    on_page_content,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_startup,
    on_template_context,
)
