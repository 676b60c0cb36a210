"""The difficulty sweep on one small cell: process pool, checkpoints, cache, reproducibility."""

from rnncore.rnn.sweep import cached_sweep, sweep


def test_one_cell_sweep_is_cached_and_reproducible(tmp_path):
    params = {"words": ["abab"], "hidden_sizes": [8], "checkpoints": [300, 1500], "seed": 0}
    seen = []
    first = sweep(**params, workers=1, cache_dir=tmp_path / "a",
                  progress=lambda done, total, cell: seen.append((done, total)))
    assert seen == [(1, 1)]
    cell = first.cells[0]
    # it stops at the first checkpoint that reaches the threshold; nothing after it is run
    assert cell.solved_at in (300, 1500)
    assert cell.exact_by_steps[cell.solved_at] >= 95
    assert max(cell.exact_by_steps) == cell.solved_at
    difficulty = first.difficulty()
    assert difficulty.loc[0, "min hidden"] == 8 and difficulty.loc[0, "steps"] == cell.solved_at
    # from the cache without training, and the same numbers from a fresh run (fixed seed)
    again = cached_sweep(**params, cache_dir=tmp_path / "a")
    assert again is not None and again.cells[0] == cell
    fresh = sweep(**params, workers=1, cache_dir=tmp_path / "b")
    assert fresh.cells[0] == cell
    assert cached_sweep(**{**params, "seed": 1}, cache_dir=tmp_path / "a") is None
