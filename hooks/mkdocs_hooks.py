"""MkDocs hooks: Divulga's entry point, named in mkdocs.yml (`hooks:`).

The adapter lives in the installed package (divulga.adapter, installed with
`pip install -e .`, the last line of requirements.txt); this file makes one
for the session and hands its events to MkDocs, or to any engine that loads
MkDocs hooks (ProperDocs).
"""

from divulga.adapter.events import DivulgaAdapter

globals().update(DivulgaAdapter().events())
