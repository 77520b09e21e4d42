"""Guidance compressed against a dictionary sampled from the guidance itself."""

import zlib

from errors import packing, synthetic
from errors.loading import get_catalogue, load_catalogue
from errors.search import index_for


def test_a_text_comes_back_as_it_went_in_with_or_without_a_dictionary():
    texts = [
        f"Retry after {n} seconds; the `retry_after` field says how long.".encode()
        for n in range(9)
    ]
    dictionary = packing.dictionary_from(packing.spread(texts))
    for text in [*texts, b"", "caf\u00e9 \u2014 \u2713".encode()]:
        assert packing.unpack(packing.pack(text, dictionary), dictionary) == text
        assert packing.unpack(packing.pack(text, b""), b"") == text
    # Without the dictionary the bytes cannot be read back: it really is used.
    packed = packing.pack(texts[3], dictionary)
    try:
        damaged = zlib.decompress(packed)
    except zlib.error:
        damaged = None
    assert damaged != texts[3]


def test_the_sample_is_spread_over_the_texts_and_the_same_each_time():
    texts = [str(n).encode() for n in range(1000)]
    sample = packing.spread(texts)
    assert len(sample) <= 2 * packing.SAMPLE and sample[0] == b"0" and int(sample[-1]) > 900
    assert packing.dictionary_from(sample) == packing.dictionary_from(packing.spread(texts))
    long = [bytes(1000) for _ in range(100)]
    assert len(packing.dictionary_from(packing.spread(long))) == packing.DICTIONARY_BYTES


def test_every_code_reads_its_own_guidance_back_and_shares_one_dictionary():
    catalogue = get_catalogue()
    dictionaries = {id(entry.guidance_dictionary) for entry in catalogue.codes}
    assert len(dictionaries) == 1 and catalogue.codes[0].guidance_dictionary
    entry = catalogue.get(1007)
    assert entry is not None
    assert "retry_after" in entry.guidance_source
    assert "retry_after" in entry.guidance.html


def test_at_9000_codes_the_guidance_takes_about_half_the_room(tmp_path):
    """Sizes, not times: what the dictionary saves on a catalogue of 9,000 codes."""
    catalogue = load_catalogue(synthetic.write_catalogue(tmp_path, 9000))
    packed = sum(len(entry.guidance_compressed) for entry in catalogue.codes)
    alone = sum(len(zlib.compress(entry.guidance_source.encode(), 6)) for entry in catalogue.codes)
    assert packed < 0.6 * alone
    index = index_for(catalogue)
    searched = sum(len(text) for text in index.guidance.values())
    plain = sum(
        len(zlib.compress(index.guidance_text(code).encode(), 6)) for code in index.guidance
    )
    assert searched < 0.6 * plain
