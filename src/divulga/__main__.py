"""``python -m divulga``: the editor command (divulga check, divulga new)."""

import sys

from divulga.editor.cli import main

sys.exit(main())
