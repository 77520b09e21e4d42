"""Many short texts that read alike, compressed against a dictionary made of a few of them.

A code's guidance is a page or two; zlib alone makes it about half its size, since a short text
gives it little to refer back to. The guidance of a catalogue shares most of its words and turns
of phrase, so zlib is given a preset dictionary (`zdict`): a sample of the texts themselves. Each
text then refers back into the sample as if it had been written just before it, and takes about
half the room again (at 9,000 codes, 10 MB of guidance becomes 5 MB). Inflating one costs the same
tens of microseconds as before.

The dictionary is made from texts spread evenly over the whole list, so every part of the
catalogue is represented, and is the same for the same texts (no randomness: a snapshot and the
pages made from it do not change from one load to the next).
"""

import zlib
from collections.abc import Iterable, Sequence

SAMPLE = 64  # texts taken, spread over the list
DICTIONARY_BYTES = 32 * 1024  # zlib's window: it never looks further back than this


def spread[T](items: Sequence[T]) -> Sequence[T]:
    """About SAMPLE of `items`, evenly spaced from the first."""
    return items[:: max(1, len(items) // SAMPLE)]


def dictionary_from(sample: Iterable[bytes]) -> bytes:
    """A preset dictionary for texts like those of `sample` (see spread())."""
    # zlib finds the dictionary's last bytes cheapest to refer to: they come just before a text.
    return b"\n".join(sample)[-DICTIONARY_BYTES:]


def pack(data: bytes, dictionary: bytes) -> bytes:
    compressor = zlib.compressobj(9, zdict=dictionary) if dictionary else zlib.compressobj(9)
    return compressor.compress(data) + compressor.flush()


def unpack(data: bytes, dictionary: bytes) -> bytes:
    if not dictionary:
        return zlib.decompress(data)
    inflater = zlib.decompressobj(zdict=dictionary)
    return inflater.decompress(data) + inflater.flush()
