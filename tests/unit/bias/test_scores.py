"""WEAT, RND, RNSB, MAC, ECT and RIPA: a hand-computed toy case each, and each against a direct
loop over the paper's formula on the real default embedding."""

import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from rnncore.bias import wordsets
from rnncore.bias.query import Query
from rnncore.bias.rnsb import rnsb
from rnncore.bias.scores import METRICS, fitting_queries, score, weat_query
from rnncore.embeddings import Embedding, load_builtin

TOY = {"x1": (1, 0), "y1": (0, 1), "a1": (1, 0.0001), "a2": (0.6, 0.8), "b1": (0.0001, 1),
       "pos1": (1, 0.2), "pos2": (1, -0.2), "neg1": (-1, 0.2), "neg2": (-1, -0.2),
       "up": (0, 1), "down": (0, -1), "left": (-0.6, 0.8), "right": (0.6, 0.8)}


@pytest.fixture(scope="module")
def toy():
    return Embedding(list(TOY), np.array(list(TOY.values()), dtype=np.float32), name="toy",
                     source="test")


@pytest.fixture(scope="module")
def w2v():
    return load_builtin("w2v-news-31k")


def _one(embedding, targets, attributes, metric, **kw):
    query = Query.build({f"T{i}": t for i, t in enumerate(targets)},
                        {f"A{i}": a for i, a in enumerate(attributes)})
    (result,) = score(embedding, query, metric, **kw)
    return result


def test_hand_computed_toy_values(toy):
    weat = _one(toy, [["x1"], ["y1"]], [["a1"], ["b1"]], "weat")
    # s(x1) = cos(x1, a1) - cos(x1, b1) ~ 1, s(y1) ~ -1: S = 2, d = 2 / 1 (population sd)
    assert weat.value == pytest.approx(2, abs=1e-3)
    assert weat.details["effect_size_ddof0"] == pytest.approx(2, abs=1e-3)
    assert weat.details["effect_size_ddof1"] == pytest.approx(math.sqrt(2), abs=1e-3)
    # ||a2 - x1|| - ||a2 - y1|| = sqrt(0.16 + 0.64) - sqrt(0.36 + 0.04)
    rnd = _one(toy, [["x1"], ["y1"]], [["a2"]], "rnd")
    assert rnd.value == pytest.approx(math.sqrt(0.8) - math.sqrt(0.4), abs=1e-6)
    # cos distances: x1-A ~0, x1-B ~1, y1-A ~1, y1-B ~0
    mac = _one(toy, [["x1"], ["y1"]], [["a1"], ["b1"]], "mac")
    assert mac.value == pytest.approx(0.5, abs=1e-3)
    # x1 ranks a1 above a2, y1 ranks a2 above a1: rho = -1
    ect = _one(toy, [["x1"], ["y1"]], [["a1", "a2"]], "ect")
    assert ect.value == pytest.approx(-1)
    # b = (x1 - y1) / sqrt 2; <a2, b> = (0.6 - 0.8) / sqrt 2
    ripa = _one(toy, [["x1"], ["y1"]], [["a2"]], "ripa")
    assert ripa.value == pytest.approx(-0.2 / math.sqrt(2), abs=1e-6)


def test_rnsb_toy_symmetry(toy):
    # positive words right, negative left: "up" and "down" sit on the boundary, equally negative
    # (without the holdout split: two words per class are too few to split)
    m = {w: np.array(v, dtype=float) / np.hypot(*v) for w, v in TOY.items()}
    pos, neg = np.array([m["pos1"], m["pos2"]]), np.array([m["neg1"], m["neg2"]])
    kl, p, _ = rnsb([m["up"][None], m["down"][None]], pos, neg, holdout=False)
    assert p == pytest.approx([0.5, 0.5], abs=1e-6) and kl == pytest.approx(0, abs=1e-9)
    kl, p, _ = rnsb([m["left"][None], m["right"][None]], pos, neg, holdout=False)
    assert p[0] > 0.5 > p[1]  # "left" leans to the negative side
    q = p / p.sum()
    assert kl == pytest.approx(q[0] * math.log(2 * q[0]) + q[1] * math.log(2 * q[1]))


def _cos(u, v):
    return sum(a * b for a, b in zip(u, v, strict=True)) / math.sqrt(
        sum(a * a for a in u) * sum(b * b for b in v))


def _vec(embedding, words):
    return [[float(x) for x in embedding.vector(w)] for w in words if w in embedding]


def _mean(vectors):
    return [sum(col) / len(vectors) for col in zip(*vectors, strict=True)]


def _ranks(values):
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    for r, i in enumerate(order):
        ranks[i] = r + 1.0
    return ranks


def _pearson(u, v):
    mu, mv = sum(u) / len(u), sum(v) / len(v)
    num = sum((a - mu) * (b - mv) for a, b in zip(u, v, strict=True))
    return num / math.sqrt(sum((a - mu) ** 2 for a in u) * sum((b - mv) ** 2 for b in v))


def test_every_metric_matches_a_direct_loop_on_real_vectors(w2v):
    test = wordsets.weat_tests("wefe")["weat6"]  # male/female names x career/family
    x, y, a, b = (_vec(w2v, s) for s in (test.x, test.y, test.a, test.b))
    results = {m: score(w2v, weat_query(test), m) for m in METRICS}

    s = [sum(_cos(w, v) for v in a) / len(a) - sum(_cos(w, v) for v in b) / len(b)
         for w in x + y]
    mean_s = sum(s) / len(s)
    sd = math.sqrt(sum((v - mean_s) ** 2 for v in s) / len(s))
    assert results["weat"][0].value == pytest.approx(sum(s[:len(x)]) - sum(s[len(x):]), abs=1e-6)
    d = (sum(s[:len(x)]) / len(x) - sum(s[len(x):]) / len(y)) / sd
    assert results["weat"][0].details["effect_size_ddof0"] == pytest.approx(d, abs=1e-5)

    mx, my = _mean(x), _mean(y)
    for attr, rnd, ect, ripa in zip((a, b), results["rnd"], results["ect"], results["ripa"],
                                    strict=True):
        dist = [math.dist(v, mx) - math.dist(v, my) for v in attr]
        assert rnd.value == pytest.approx(sum(dist) / len(attr), abs=1e-6)
        assert rnd.details["sum (Garg et al.)"] == pytest.approx(sum(dist), abs=1e-5)
        rho = _pearson(_ranks([_cos(mx, v) for v in attr]), _ranks([_cos(my, v) for v in attr]))
        assert ect.value == pytest.approx(rho, abs=1e-9)
        pairs = [[p - q for p, q in zip(u, v, strict=True)] for u, v in zip(x, y, strict=True)]
        pairs = [[c / math.sqrt(sum(t * t for t in p)) for c in p] for p in pairs]
        per_word = [sum(sum(c * t for c, t in zip(v, p, strict=True)) for p in pairs)
                    / len(pairs) for v in attr]
        assert ripa.value == pytest.approx(sum(per_word) / len(per_word), abs=1e-6)

    distances = [sum(1 - _cos(t, v) for v in attr) / len(attr) for t in x + y for attr in (a, b)]
    assert results["mac"][0].value == pytest.approx(sum(distances) / len(distances), abs=1e-6)

    # RNSB: the same split and classifier built here by hand, then the KL divergence by loop
    data = np.array(a + b)
    labels = np.array([1] * len(a) + [-1] * len(b))
    train, _, train_y, _ = train_test_split(data, labels, shuffle=True, random_state=0,
                                            test_size=0.2, stratify=labels)
    model = LogisticRegression(solver="liblinear", max_iter=10000, random_state=0)
    p = model.fit(train, train_y).predict_proba(np.array(x + y))[:, 0]  # classes_: [-1, 1]
    q = [v / sum(p) for v in p]
    kl = sum(v * math.log(v * len(q)) for v in q)
    assert results["rnsb"][0].value == pytest.approx(kl, abs=1e-9)


def test_rnsb_is_seeded_and_reports_its_spread(w2v):
    query = weat_query(wordsets.weat_tests()["weat1"])
    first = score(w2v, query, "rnsb", seed=3, seeds=range(5))[0]
    again = score(w2v, query, "rnsb", seed=3)[0]
    assert first.value == again.value
    spread = first.spread
    assert spread["seeds"] == [0, 1, 2, 3, 4] and spread["values"][3] == first.value
    assert len(set(spread["values"])) > 1 and spread["sd"] > 0
    assert spread["mean"] == pytest.approx(np.mean(spread["values"]))


def test_templates_split_queries_and_lost_words_give_nan(w2v):
    query = weat_query(wordsets.weat_tests()["weat7"])
    assert [q.name for q in fitting_queries(query, "rnd")] == [
        "Math and Arts wrt Male terms", "Math and Arts wrt Female terms"]
    assert fitting_queries(query, "weat") == [query]
    one = Query.build({"m": ["he"], "f": ["she"]}, {"c": ["career"]})
    assert score(w2v, one, "weat") == [] and score(w2v, one, "rnsb") == []
    lossy = Query.build({"m": ["he", "zzqxw", "qqzzx"], "f": ["she", "her", "hers"]},
                        {"c": ["career", "salary"]})
    (result,) = score(w2v, lossy, "rnd")
    assert math.isnan(result.value) and "lost 2 of its 3 words" in result.note
    assert result.dropped["m"] == ("zzqxw", "qqzzx")
    tiny = Query.build({"m": ["he", "him"], "f": ["she", "her"]}, {"p": ["good"], "n": ["bad"]})
    (result,) = score(w2v, tiny, "rnsb")  # one word per class cannot be split 80/20
    assert math.isnan(result.value) and result.note.startswith("not scored:")


def test_cli_choices_match_the_library():
    """The metrics verb spells its choices out (no library import to build the parser)."""
    from rnncore.bias import wordsets
    from rnncore.bias.scores import METRICS
    from rnncore.cli import metrics as cli_metrics

    assert tuple(METRICS) == cli_metrics.METRIC_CHOICES
    assert tuple(wordsets.LIST_SOURCES) == cli_metrics.LIST_CHOICES
