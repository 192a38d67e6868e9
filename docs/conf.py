"""Sphinx configuration: MyST Markdown pages, autodoc API reference, furo.

Build with ``python -m sphinx -W -b html docs docs/_build/html``; the code
examples in the pages run as tests through ``docs/conftest.py`` (Sybil).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
from sphinx.application import Sphinx

import simexit

project = "simexit"
author = "The simexit authors"
copyright = "2026, The simexit authors"
release = simexit.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

# MyST: anchors for ## and ### headings, so pages can link to sections.
myst_heading_anchors = 3
myst_enable_extensions = ["deflist"]

# autodoc: members in the order the source defines them.  Enums would
# otherwise list the ``__new__`` they inherit.
autodoc_member_order = "bysource"
autodoc_default_options = {"exclude-members": "__new__"}

# napoleon: the ``Raises:`` sections of the public functions' docstrings.
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = f"simexit {release}"


def _tidy_attrs_signature(
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None]:
    """Make the signatures attrs generates read like the class.

    ``__init__`` gets the parameter types of the converters, which accept
    anything (the attributes listed under each class say what is stored),
    and shows a default made by a factory as ``NOTHING``.
    """
    if what in ("class", "exception") and signature and attrs.has(obj):
        signature = re.sub(r": ~typing\.Any\b", "", signature)
        # Factory defaults appear as NOTHING, in the order of the fields.
        for field in attrs.fields(obj):
            default = field.default
            if isinstance(default, attrs.Factory) and not default.takes_self:  # type: ignore[arg-type]
                shown = repr(default.factory())
                signature = signature.replace("= NOTHING", f"= {shown}", 1)
    return signature, return_annotation


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-signature", _tidy_attrs_signature)
