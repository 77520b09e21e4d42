"""What the catalogue announces, for whoever wants to know (it imports none of them)."""

from django.dispatch import Signal

# Sent with `query` (what the visitor typed), `request` and `live` (True for a search the box
# sent while the person was still typing) when a search finds no code at all.
search_missed = Signal()
