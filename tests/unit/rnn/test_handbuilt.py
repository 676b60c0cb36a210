"""Hand-built RNNs (SIUE): summing, larger stream, parity with threshold units."""

import itertools

import pytest

from rnncore.rnn.handbuilt import (
    larger_stream,
    parity,
    parity_bits,
    parse_bits,
    parse_numbers,
    summing,
)


def test_course_parity_sequence():
    assert parity_bits(parse_bits("0101101011")) == [0, 1, 1, 0, 1, 1, 0, 0, 1, 0]


def test_parity_truth_table_and_every_short_sequence():
    table = parity([0, 0, 1, 1])
    assert list(table["AND"]) == [0, 0, 0, 1]  # y_prev AND x fires only at the last step
    assert list(table["OR"]) == [0, 0, 1, 1]
    for n in range(1, 8):
        for bits in itertools.product([0, 1], repeat=n):
            out = parity_bits(bits)
            assert out == [sum(bits[: t + 1]) % 2 for t in range(n)]
    # the XOR truth table (y_prev, x) -> y through one step after a known prefix
    for y_prev, x, y in [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]:
        assert parity_bits([y_prev, x])[-1] == y


def test_summing_and_larger_stream():
    assert list(summing([3, 1, 4])["y_t"]) == [3, 4, 8]
    verdicts = list(larger_stream([1, 0, 3], [2, 2, 0])["larger so far"])
    assert verdicts == ["B", "B", "tie"]
    with pytest.raises(ValueError, match="same length"):
        larger_stream([1, 2], [1])


def test_parsers_give_clear_errors():
    assert parse_bits("0 1,1") == [0, 1, 1]
    with pytest.raises(ValueError, match="0s and 1s"):
        parse_bits("0120")
    with pytest.raises(ValueError, match="not a number"):
        parse_numbers("1 two")
