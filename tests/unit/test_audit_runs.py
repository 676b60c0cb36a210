"""A debias + audit saved as JSON reads back as the same report, and only for the same run."""

from __future__ import annotations

import json

from rnncore.audit import report_dict
from rnncore.audit.pictures import cluster_map
from rnncore.audit.runs import DebiasRequest, debias_and_audit, load, save, stored_path


def test_a_saved_audit_reads_back_identical_and_only_for_its_own_settings(w2v, tmp_path):
    request = DebiasRequest(tests=["weat7"], neighbours=["nurse"], n_side=100, benchmarks=[])
    report, accuracies = debias_and_audit(w2v, request)
    path = stored_path(tmp_path, w2v, request)
    save(path, request, report, accuracies)
    back, back_accuracies = load(path, w2v, request)
    shown = [{**report_dict(r), "created": None} for r in (back, report)]  # (a time stamp)
    assert json.dumps(shown[0]) == json.dumps(shown[1]) and back_accuracies == accuracies is None
    assert back.after.sha256 == report.after.sha256 and back.before is w2v
    assert cluster_map(back).equals(cluster_map(report))  # the pictures come out the same
    assert load(path, w2v, DebiasRequest(tests=["weat6"], neighbours=["nurse"], n_side=100,
                                         benchmarks=[])) is None  # other settings
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "after": "0" * 64}))
    assert load(path, w2v, request) is None  # another debiased copy: computed again
    assert load(tmp_path / "missing.json", w2v, request) is None
