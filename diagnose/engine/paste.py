"""A paste being read: its masked text, where each masked offset was in the text as pasted, and
the catalogue and clock it is diagnosed against."""

from dataclasses import dataclass
from datetime import datetime

from diagnose.engine.redaction import Replacement, original_offset
from errors.catalogue import Catalogue


@dataclass(frozen=True)
class Paste:
    original: str  # only for line and column numbers; never echoed
    text: str  # secrets masked: everything that is read, quoted or echoed comes from here
    replacements: tuple[Replacement, ...]
    catalogue: Catalogue
    now: datetime

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset` (in `text`) in the text as pasted."""
        offset = min(original_offset(offset, self.replacements), len(self.original))
        line = self.original.count("\n", 0, offset) + 1
        column = offset - (self.original.rfind("\n", 0, offset) + 1) + 1
        return line, column
