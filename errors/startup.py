"""Everything the catalogue needs before it answers: loaded, indexed, kept as a snapshot.

`prepare()` runs once per process where it matters: in gunicorn's master before the workers fork
(so they share the indexes instead of each building them while visitors wait) and in the system
checks (so `migrate` and `check` in a deploy leave a snapshot that the server then loads in a
fraction of the time: see errors/snapshots.py).
"""

from errors import messages, search
from errors.catalogue import Catalogue
from errors.loading import get_catalogue, keep_snapshot


def prepare() -> Catalogue:
    catalogue = get_catalogue()
    search.index_for(catalogue)
    messages.index_for(catalogue)
    keep_snapshot(catalogue)
    return catalogue
