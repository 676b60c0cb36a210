"""Debias & audit: a debias method on a copy, then every measure before and after."""

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components import presentation
from dashboard.components.audit_charts import headline, show_pictures
from dashboard.components.debias_runs import AuditFailed, DebiasRequest, debias_and_audit
from dashboard.components.downloads import csv_download, plot
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.wordlists import word_groups_input
from rnncore.audit import to_json, to_markdown, word2vec_bytes
from rnncore.audit.recoverability import VOCABULARIES
from rnncore.audit.report import DEFAULT_BENCHMARKS, DEFAULT_NEIGHBOR_WORDS, DEFAULT_WEAT_TESTS
from rnncore.bias import dimensions, wordsets
from rnncore.bias.weat_titles import distinct_titles
from rnncore.debias import RECIPES
from rnncore.debias.methods import ANY_DIMENSION, DEFAULTS, METHODS
from rnncore.embeddings import BENCHMARKS
from rnncore.limits import limit

WEAT_TITLES = distinct_titles(wordsets.weat_tests())
RESULT_KEY = "debias_result"  # the (shared, read-only) debiased embedding and audit
DIMENSION_LABELS = {"gender": "gender", "race": "race (Manzini et al.)",
                    "religion": "religion (Manzini et al.)", "custom": "your own groups"}
RECIPE_LABELS = {"debiaswe": "debiaswe (paper's code): keep the 1,441 gender-specific words, "
                             "equalize 79 pairs — default",
                 "responsibly": "responsibly: also keep the case forms, the definitional and "
                                "equalize words (1,462), equalize 81 pairs"}

st.title("Debias & audit")
presentation.intro("debias_audit")
embedding = current_embedding()
bind_all({"debias_method": url_choice(METHODS), "debias_dimension": url_choice(DIMENSION_LABELS),
          "hard_recipe": url_choice(RECIPES), "inlp_iterations": (5, 35),
          "inlp_words": url_choice([500, 1000, 2500, 5000]),
          "inlp_classifier": url_choice(["svm", "logistic"]),
          "audit_weat": url_choice(wordsets.weat_tests(), multi=True), "audit_neigh": str,
          "audit_n_side": (50, 2000), "audit_vocab": url_choice(VOCABULARIES),
          "audit_seed": (0, 2**31 - 1), "audit_bench": url_choice(BENCHMARKS, multi=True)})
method = st.radio("Method", list(METHODS), format_func=METHODS.get, horizontal=True,
                  key="debias_method")  # outside the form: the options below follow it
pairs = st.session_state.get("bias_pairs") or list(wordsets.definitional_pairs())
if method in ANY_DIMENSION:
    dim_key = st.radio("Dimension", list(DIMENSION_LABELS), format_func=DIMENSION_LABELS.get,
                       horizontal=True, key="debias_dimension")
    if dim_key == "custom":
        race = dimensions.builtin("race")
        groups = word_groups_input(
            "Your groups: one line per group (`name: w1, w2, …`) or a .csv with one column per "
            "group; the i-th words of the groups form one defining set",
            dict(zip(race.groups, zip(*race.defining_sets, strict=True), strict=True)),
            key="debias_groups", height=110)
        try:
            dimension = dimensions.from_groups(groups)
        except ValueError as exc:
            st.error(f"These groups cannot define a dimension: {show(exc)}.")
            st.stop()
    else:
        dimension = dimensions.builtin(dim_key)
    st.caption(f"{len(dimension.groups)} groups ({', '.join(map(show, dimension.groups))}), "
               f"{len(dimension.defining_sets)} defining sets: "
               + "; ".join(", ".join(map(show, s)) for s in dimension.defining_sets[:6])
               + (" …" if len(dimension.defining_sets) > 6 else ""))
else:
    dimension = dimensions.builtin("gender")
    st.caption(f"Direction: PCA of {len(pairs)} pair(s) "
               + ("picked on the *Bias direction* page" if "bias_pairs" in st.session_state
                  else "(Bolukbasi's definitional pairs)") + ": "
               + ", ".join(f"{show(a)}–{show(b)}" for a, b in pairs[:10])
               + (" …" if len(pairs) > 10 else ""))

with st.form("debias"):
    options: dict = {}
    if method == "hard":
        options["recipe"] = st.radio("Keep-set recipe", list(RECIPES), key="hard_recipe",
                                     format_func=RECIPE_LABELS.get)
    elif method == "inlp":
        cols = st.columns(3)
        options["n_iterations"] = cols[0].slider("INLP iterations", 5, 35, 20,
                                                 key="inlp_iterations")
        options["n_words"] = cols[1].select_slider("INLP training words per side",
                                                   [500, 1000, 2500, 5000], 2500,
                                                   key="inlp_words")
        options["classifier"] = cols[2].radio(
            "INLP classifier", ["svm", "logistic"], horizontal=True, key="inlp_classifier",
            format_func={"svm": "linear SVM", "logistic": "logistic"}.get)
    elif method == "multiclass":
        options["n_components"] = int(st.number_input(
            "Subspace components", 1, 10, len(dimension.groups) - 1,
            key=f"multi_components_{len(dimension.groups)}",  # default k - 1 follows k
            help="principal components of the centred defining sets removed; k groups span "
                 "at most k − 1 (the default). WEFE's default is 10."))
    elif method == "double-hard":
        cols = st.columns(3)
        options["n_words"] = cols[0].select_slider("Most biased words per side",
                                                   [250, 500, 1000, 2000], 1000,
                                                   key="dh_words")
        options["n_candidates"] = cols[1].slider("Principal components tried", 1, 10, 4,
                                                 key="dh_candidates")
        options["scope"] = cols[2].radio(
            "Words changed", ["all", "target"], key="dh_scope",
            format_func={"all": "every word (Wang et al.)",
                         "target": "only the most biased (WEFE 1.0.1)"}.get)
    else:
        options["alpha"] = float(st.number_input("Ridge strength α", 0.1, 1000.0, 60.0,
                                                 key="hsr_alpha"))
    with st.expander("Audit settings"):
        tests = st.multiselect("WEAT tests", list(wordsets.weat_tests()),
                               default=list(DEFAULT_WEAT_TESTS), key="audit_weat",
                               format_func=lambda k: f"{k}: {WEAT_TITLES[k]}")
        neighbor_text = st.text_input("Words whose neighbours to compare",
                                      ", ".join(DEFAULT_NEIGHBOR_WORDS), key="audit_neigh")
        cols = st.columns(3)
        n_side = cols[0].number_input("Most biased words per side", 50, 2000, 500, 50,
                                      key="audit_n_side")
        vocabulary = cols[1].radio("Drawn from", list(VOCABULARIES), key="audit_vocab",
                                   format_func=lambda v: {"gonen-goldberg": "clean lower-case "
                                                          "words (Gonen & Goldberg)",
                                                          "all": "every word"}[v])
        seed = cols[2].number_input("Seed", *limit("seed").bounds(), 0, key="audit_seed")
        benchmarks = st.multiselect("Benchmarks", list(BENCHMARKS),
                                    default=list(DEFAULT_BENCHMARKS), key="audit_bench",
                                    format_func=lambda k: BENCHMARKS[k].name)
    submitted = st.form_submit_button("Debias and audit", type="primary")

if submitted:
    bar = st.progress(0.0, text="Finding the direction (or waiting for a session computing the "
                                "same)…")
    if "random_state" in DEFAULTS[method]:
        options["random_state"] = int(seed)
    neighbor_words = [w.strip() for w in neighbor_text.split(",") if w.strip()]
    request = DebiasRequest(method, dimension, options, pairs, tests, neighbor_words,
                            int(n_side), vocabulary, int(seed), benchmarks)
    try:  # one shared, read-only result per (embedding, settings) for every session
        st.session_state[RESULT_KEY] = debias_and_audit(
            embedding, request, progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
    except AuditFailed as exc:
        bar.empty()
        st.error(f"The debias worked, but the audit could not measure it: {show(exc)}. This "
                 "happens when the embedding lacks the words of a WEAT test or of the "
                 "Gonen & Goldberg selection: untick those WEAT tests or lower *Most biased "
                 "words per side* in the audit settings, then run again.")
        st.stop()
    except ValueError as exc:
        bar.empty()
        st.error(f"Could not debias: {show(exc)}. The loaded embedding is unchanged.")
        st.stop()
    bar.empty()

result = st.session_state.get(RESULT_KEY)
if not result or result["source_sha"] != embedding.sha256:
    st.info("Choose a method and press **Debias and audit**.")
    st.stop()

report = result["report"]
after = report.after
st.success(f"**{show(after.name)}** ({len(after):,} words, sha256 `{after.sha256[:16]}…`) is "
           "kept once, read-only, for every session on this server.",
           icon=":material/check_circle:")
if result["accuracies"]:
    curve = pd.DataFrame({"iteration": range(1, len(result["accuracies"]) + 1),
                          "held-out accuracy": result["accuracies"]})
    fig = px.line(curve, x="iteration", y="held-out accuracy", markers=True)
    fig.add_hline(y=0.5, line_dash="dot", annotation_text="chance")
    fig.update_layout(height=300, yaxis_range=[0.4, 1.02])
    with presentation.explain("What this curve shows"):
        st.markdown("**INLP**: accuracy of each iteration's classifier on held-out words, before "
                    "its directions are removed. It falls towards chance as the subspace goes.")
    plot(fig, "inlp_accuracy")

screens = presentation.Screens("debias_audit", ["Audit: before and after", "Neighbours",
                                                 "Downloads"])
screens.section(0)
st.caption("Every number uses the direction found on the original embedding.")
headline(report)
show_pictures(report, result.get("figures"))
st.dataframe(report.metrics, hide_index=True, key="audit_table", row_height=68,
             height="content",  # every row: the audit is read top to bottom
             column_order=["metric", "before", "after", "change", "group"],
             column_config={  # the long metric names wrap: every column fits 1400 px
                 "metric": st.column_config.TextColumn(width=480),
                 "before": st.column_config.NumberColumn(format="%.4g", width="small"),
                 "after": st.column_config.NumberColumn(format="%.4g", width="small"),
                 "change": st.column_config.NumberColumn(format="%+.4g", width="small")})
csv_download(report.metrics, "audit.csv", key="csv-audit")
with presentation.explain("What the numbers mean"):
    meanings = report.metrics.drop_duplicates("what it means")
    st.markdown("**What the numbers mean**\n\n" + "\n".join(
        f"- *{row['group']}*: {row['what it means']}" for _, row in meanings.iterrows()))
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
screens.section(1, "Nearest neighbours before and after")
st.dataframe(report.neighbors, hide_index=True, key="audit_neighbors")

screens.section(2)
cols = st.columns(3)
cols[0].download_button("Bias report (JSON)", lambda: to_json(report), file_name="bias_report.json",
                        mime="application/json", icon=":material/download:", key="dl-json",
                        on_click="ignore")
cols[1].download_button("Bias report (Markdown)", lambda: to_markdown(report),
                        file_name="bias_report.md", mime="text/markdown",
                        icon=":material/download:", key="dl-md", on_click="ignore")
cols[2].download_button("Debiased vectors (word2vec .bin)", lambda: word2vec_bytes(after),
                        file_name=f"{after.name}.bin", mime="application/octet-stream",
                        icon=":material/download:", key="dl-w2v", on_click="ignore")
