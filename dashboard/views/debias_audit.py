"""Debias & audit: hard debias or INLP on a copy, then every measure before and after."""

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.shared_results import shared_result
from rnncore.audit import audit, to_json, to_markdown, word2vec_bytes
from rnncore.audit.recoverability import VOCABULARIES
from rnncore.audit.report import DEFAULT_BENCHMARKS, DEFAULT_NEIGHBOR_WORDS, DEFAULT_WEAT_TESTS
from rnncore.bias import bias_direction, wordsets
from rnncore.debias import INLP, HardDebias
from rnncore.embeddings import BENCHMARKS

RESULT_KEY = "debias_result"  # the (shared, read-only) debiased embedding and audit
METHODS = {"hard": "Hard debias (Bolukbasi et al. 2016)",
           "inlp": "INLP (Ravfogel et al. 2020)"}

st.title("Debias & audit")
st.markdown(
    "**Hard debias** removes the gender direction $g$ from every word that is not in the "
    "gender-specific list (*neutralize*: $v \\leftarrow \\text{normalize}(v - (v\\cdot g)g)$) "
    "and makes each equalize pair (e.g. spokesman/spokeswoman) symmetric around the neutral "
    "space (*equalize*). **INLP** trains a linear classifier to tell the most male from the "
    "most female words, removes the directions it used, and repeats until it fails. "
    "Both build a **new** embedding (kept once per server); the loaded one is never changed.")
embedding = current_embedding()
pairs = st.session_state.get("bias_pairs") or list(wordsets.definitional_pairs())
st.caption(f"Direction: PCA of {len(pairs)} pair(s) "
           + ("picked on the *Bias direction* page" if "bias_pairs" in st.session_state
              else "(Bolukbasi's definitional pairs)") + ": "
           + ", ".join(f"{a}–{b}" for a, b in pairs[:10]) + (" …" if len(pairs) > 10 else ""))

bind_all({"debias_method": url_choice(METHODS), "inlp_iterations": (5, 35),
          "inlp_words": url_choice([500, 1000, 2500, 5000]),
          "inlp_classifier": url_choice(["svm", "logistic"]),
          "audit_weat": url_choice(wordsets.weat_tests(), multi=True), "audit_neigh": str,
          "audit_n_side": (50, 2000), "audit_vocab": url_choice(VOCABULARIES),
          "audit_seed": (0, 2**31 - 1), "audit_bench": url_choice(BENCHMARKS, multi=True)})
with st.form("debias"):
    method = st.radio("Method", list(METHODS), format_func=METHODS.get, horizontal=True,
                      key="debias_method")
    cols = st.columns(3)
    iterations = cols[0].slider("INLP iterations", 5, 35, 20, key="inlp_iterations")
    n_words = cols[1].select_slider("INLP training words per side",
                                    [500, 1000, 2500, 5000], 2500, key="inlp_words")
    classifier = cols[2].radio("INLP classifier", ["svm", "logistic"], horizontal=True,
                               key="inlp_classifier",
                               format_func={"svm": "linear SVM", "logistic": "logistic"}.get)
    with st.expander("Audit settings"):
        tests = st.multiselect("WEAT tests", list(wordsets.weat_tests()),
                               default=list(DEFAULT_WEAT_TESTS), key="audit_weat",
                               format_func=lambda k: f"{k}: {wordsets.weat_tests()[k].title}")
        neighbor_text = st.text_input("Words whose neighbours to compare",
                                      ", ".join(DEFAULT_NEIGHBOR_WORDS), key="audit_neigh")
        cols = st.columns(3)
        n_side = cols[0].number_input("Most biased words per side", 50, 2000, 500, 50,
                                      key="audit_n_side")
        vocabulary = cols[1].radio("Drawn from", list(VOCABULARIES), key="audit_vocab",
                                   format_func=lambda v: {"gonen-goldberg": "clean lower-case "
                                                          "words (Gonen & Goldberg)",
                                                          "all": "every word"}[v])
        seed = cols[2].number_input("Seed", 0, 2**31 - 1, 0, key="audit_seed")
        benchmarks = st.multiselect("Benchmarks", list(BENCHMARKS),
                                    default=list(DEFAULT_BENCHMARKS), key="audit_bench",
                                    format_func=lambda k: BENCHMARKS[k].name)
    submitted = st.form_submit_button("Debias and audit", type="primary")

if submitted:
    bar = st.progress(0.0, text="Finding the direction (or waiting for a session computing the "
                                "same)…")
    params = {"pairs": pairs, "method": method, "iterations": iterations, "n_words": n_words,
              "classifier": classifier, "tests": tests, "neighbours": neighbor_text,
              "n_side": int(n_side), "vocabulary": vocabulary, "seed": int(seed),
              "benchmarks": benchmarks}

    def debias_and_audit() -> dict:
        direction = bias_direction(embedding, pairs, "pca")
        if method == "hard":
            model = HardDebias().fit(embedding, direction=direction)
            fitted = {"equalized_pairs": len(model.equalize_pairs_),
                      "gender_specific_words": len(model.gender_specific_)}
        else:
            model = INLP(n_iterations=iterations, n_words=n_words, classifier=classifier,
                         random_state=int(seed)).fit(
                embedding, direction=direction,
                progress=lambda f, m: bar.progress(0.3 * f, text=m))
            fitted = {"iterations": iterations, "n_words": n_words, "classifier": classifier,
                      "seed": int(seed)}
        after = model.transform(embedding)
        neighbor_words = [w.strip() for w in neighbor_text.split(",") if w.strip()]
        report = audit(embedding, after, direction, method, fitted, weat_tests=tests,
                       neighbor_words=neighbor_words, benchmarks=benchmarks,
                       n_per_side=int(n_side), vocabulary=vocabulary, seed=int(seed),
                       progress=lambda f, m: bar.progress(0.3 + 0.7 * min(f, 1.0), text=m))
        return {"source_sha": embedding.sha256, "report": report,
                "accuracies": getattr(model, "accuracies_", None)}

    try:  # one shared, read-only result per (embedding, settings) for every session
        st.session_state[RESULT_KEY] = shared_result("debias_audit", embedding, params,
                                                     debias_and_audit, heavy=True)
    except ValueError as exc:
        bar.empty()
        st.error(f"Could not debias: {exc}.")
        st.stop()
    bar.empty()

result = st.session_state.get(RESULT_KEY)
if not result or result["source_sha"] != embedding.sha256:
    st.info("Choose a method and press **Debias and audit**.")
    st.stop()

report = result["report"]
after = report.after
st.success(f"**{after.name}** ({len(after):,} words, sha256 `{after.sha256[:16]}…`) is kept "
           "once, read-only, for every session on this server.", icon=":material/check_circle:")
if result["accuracies"]:
    curve = pd.DataFrame({"iteration": range(1, len(result["accuracies"]) + 1),
                          "held-out accuracy": result["accuracies"]})
    fig = px.line(curve, x="iteration", y="held-out accuracy", markers=True)
    fig.add_hline(y=0.5, line_dash="dot", annotation_text="chance")
    fig.update_layout(height=300, yaxis_range=[0.4, 1.02])
    st.markdown("**INLP**: accuracy of each iteration's classifier on held-out words, before "
                "its directions are removed. It falls towards chance as the subspace goes.")
    plot(fig, "inlp_accuracy")

st.subheader("Audit: before and after")
st.caption("Every number uses the direction found on the original embedding.")
st.dataframe(report.metrics, hide_index=True, key="audit_table", column_config={
    "before": st.column_config.NumberColumn(format="%.4g"),
    "after": st.column_config.NumberColumn(format="%.4g"),
    "change": st.column_config.NumberColumn(format="%+.4g")})
csv_download(report.metrics, "audit.csv", key="csv-audit")
rec = report.recoverability
st.markdown(
    f"**Gonen & Goldberg's checks** on {rec.selection}. After debiasing, k-means still "
    f"agrees with the old gender side for **{rec.kmeans_after:.1%}** of them and an RBF "
    f"classifier recovers it with **{rec.classifier_after:.1%}** cross-validated accuracy "
    "(chance = 50 %). The k-means figure moves a lot with the word selection: try "
    "*every word* in the audit settings.")
st.warning(
    "**Why a debiased embedding can still be biased.** DirectBias only looks at the "
    "projection on one direction, and hard debias removes exactly that projection, so it "
    "drops to ~0 by construction. The rest of each vector is untouched: words that were "
    "male- or female-leaning keep their neighbours (nurse next to receptionist, not to "
    "surgeon), so the bias is still recoverable from the geometry. WEAT, which uses whole "
    "vectors, can fall, stay or even flip.", icon=":material/psychology:")
st.subheader("Nearest neighbours before and after")
st.dataframe(report.neighbors, hide_index=True, key="audit_neighbors")

st.subheader("Downloads")
cols = st.columns(3)
cols[0].download_button("Bias report (JSON)", to_json(report), file_name="bias_report.json",
                        mime="application/json", icon=":material/download:", key="dl-json")
cols[1].download_button("Bias report (Markdown)", to_markdown(report),
                        file_name="bias_report.md", mime="text/markdown",
                        icon=":material/download:", key="dl-md")
cols[2].download_button("Debiased vectors (word2vec .bin)", lambda: word2vec_bytes(after),
                        file_name=f"{after.name}.bin", mime="application/octet-stream",
                        icon=":material/download:", key="dl-w2v", on_click="ignore")
