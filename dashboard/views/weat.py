"""WEAT: Caliskan et al.'s association tests by name or on your own sets, with exact p-values."""

import pandas as pd
import plotly.express as px
import streamlit as st

from dashboard.components import presentation, style
from dashboard.components.downloads import csv_download, plot, shared_figure
from dashboard.components.embedding_picker import current_embedding
from dashboard.components.fragments import part
from dashboard.components.links import bind_all
from dashboard.components.links import choice as url_choice
from dashboard.components.safe import show
from dashboard.components.shared_results import shared_result
from dashboard.components.wordlists import word_groups_input
from rnncore.bias import weat, wordsets
from rnncore.bias.weat import associations
from rnncore.bias.weat_titles import distinct_titles
from rnncore.embeddings import lookup
from rnncore.explain import effect_band, effect_verdict, p_verdict

CUSTOM = "custom"

st.title("WEAT")
presentation.intro("weat")
embedding = current_embedding()


@part("weat")
def _weat() -> None:
    """Both sections: the ten tests' table takes the settings chosen above it."""
    screens = presentation.Screens("weat", ["One test", "All ten tests"])  # tabs of this run
    screens.section(0, None)
    source = st.radio("Word lists of the tests", list(wordsets.LIST_SOURCES), horizontal=True,
                      key="weat_lists", help=" · ".join(wordsets.LIST_SOURCES.values()),
                      format_func=lambda s: "the paper's (Caliskan et al.)" if s == "paper"
                      else "WEFE's")
    tests = wordsets.weat_tests(source)
    titles = distinct_titles(tests)

    bind_all({"weat_test": url_choice([*tests, CUSTOM]), "weat_seed": (0, 2**31 - 1),
              "weat_ddof": url_choice([1, 0])})  # in the URL
    choice = st.selectbox("Test", [*tests, CUSTOM], key="weat_test",
                          format_func=lambda k: "Your own sets" if k == CUSTOM
                          else f"{k.upper()} · {titles[k]}")
    template = tests[choice] if choice != CUSTOM else tests["weat7"]
    groups = word_groups_input(
        "Sets, in the order X, Y, A, B (one line per set: `name: words`; or a .csv with 4 columns)",
        {template.x_name: template.x, template.y_name: template.y, template.a_name: template.a,
         template.b_name: template.b}, height=180,
        key=f"weat_sets_{choice}"
        + ("" if source == wordsets.DEFAULT_LIST_SOURCE else f"_{source}"))
    if choice != CUSTOM and (left_out := wordsets.dropped_words(tests[choice], embedding)):
        st.markdown("**Words of this test's list left out or corrected**, and why:")
        st.dataframe(pd.DataFrame(left_out).drop(columns="role"), hide_index=True,
                     key="weat_left_out")
    cols = st.columns(3)
    permutations = cols[0].number_input("Permutation budget", 100, 1_000_000, 100_000, 10_000,
                                        key="weat_permutations")
    seed = cols[1].number_input("Seed (random splits)", 0, 2**31 - 1, 0, key="weat_seed")
    ddof = cols[2].radio("Standard deviation", [1, 0], horizontal=True, key="weat_ddof",
                         format_func=lambda d: "sample (Caliskan)" if d else "population (WEFE)")

    sets = list(groups.groups.items())
    if len(sets) != 4:
        st.error(f"Give exactly four sets X, Y, A, B (got {len(sets)}).")
        return
    names = [name for name, _ in sets]
    settings = {"sets": sets, "permutations": int(permutations), "seed": int(seed),
                "ddof": int(ddof)}
    try:
        with st.spinner("Running the permutation test…"):
            result = shared_result("weat", embedding, settings, lambda: weat(
                embedding, *[words for _, words in sets], permutations=int(permutations),
                seed=int(seed), ddof=int(ddof)))
    except ValueError as exc:
        st.error(f"Cannot run WEAT: {show(exc)}.")
        return

    dropped = {names[i]: words for i, words in enumerate(result.dropped.values()) if words}
    if dropped:
        st.warning("Not in the vocabulary, left out: " + "; ".join(
            f"**{show(name)}**: {show(', '.join(words))}" for name, words in dropped.items()),
            icon=":material/help:")
    cols = st.columns(4)
    cols[0].metric("Effect size d", f"{result.effect_size:.3f}")
    cols[1].metric("Statistic S", f"{result.statistic:.3f}")
    cols[2].metric("p (one-sided)", f"{result.p_one_sided:.3g}")
    cols[3].metric("p (two-sided)", f"{result.p_two_sided:.3g}")
    cols[0].caption(effect_verdict(result.effect_size, f"{names[0]} ~ {names[2]}",
                                   f"{names[0]} ~ {names[3]}") + ".")
    cols[2].caption(p_verdict(result.p_one_sided, result.n_permutations, result.exact) + ".")
    kind = ("exact: every one of the" if result.exact else f"seeded (seed {result.seed}) random")
    st.caption(f"p-values {kind} {result.n_permutations:,} splits of {len(result.x)} + "
               f"{len(result.y)} target words; one-sided = P(S_i ≥ S), two-sided = "
               "P(|S_i − E S_i| ≥ |S − E S_i|). Words used: "
               f"{len(result.x)}, {len(result.y)}, {len(result.a)}, {len(result.b)}.")
    if choice != CUSTOM and tests[choice].iat_effect_size is not None:
        st.caption(f"The human IAT finding this test replicates had d = "
                   f"{tests[choice].iat_effect_size}.")

    scores = associations(embedding, [*result.x, *result.y], result.a, result.b)
    per_word = pd.DataFrame({"word": [*result.x, *result.y],
                             "set": [names[0]] * len(result.x) + [names[1]] * len(result.y),
                             "s(w, A, B)": scores}).sort_values("s(w, A, B)")

    def chart():
        fig = px.bar(per_word, x="s(w, A, B)", y="word", color="set", orientation="h",
                     color_discrete_map=style.colour_map(names[:2]),
                     labels={"s(w, A, B)": f"s(w, A, B)  ({names[3]} ← → {names[2]})", "word": ""})
        fig.update_yaxes(dtick=1)  # every word labelled: plotly skips labels that would crowd
        fig.update_layout(height=max(360, 26 * len(per_word) + 140))
        return style.legend_on_top(fig)

    plot(shared_figure("weat_associations", embedding, settings, chart), "weat_associations",
         ready=True)
    csv_download(per_word, "weat_associations.csv", key="csv-weat-words")
    st.download_button("Download the result (JSON)",
                       lambda: pd.Series(result.to_dict()).to_json(indent=2),
                       file_name="weat.json", mime="application/json", key="weat-json",
                       icon=":material/download:", on_click="ignore")

    screens.section(1, "All of Caliskan et al.'s tests on this embedding")
    if st.button("Run all ten tests", key="weat_all"):
        rows, bar = [], st.progress(0.0, text="WEAT 1…")
        for i, (key, test) in enumerate(tests.items()):
            bar.progress(i / len(tests), text=f"{key.upper()}: {test.title}")
            coverage = lookup(embedding, [*test.x, *test.y, *test.a, *test.b], suggest_close=False)
            try:
                r = weat(embedding, test.x, test.y, test.a, test.b, int(permutations), int(seed),
                         int(ddof))
            except ValueError as exc:
                rows.append({"test": key, "title": titles[key], "note": str(exc)})
                continue
            rows.append({"test": key, "title": titles[key], "effect size": r.effect_size,
                         "effect": effect_band(r.effect_size), "IAT d": test.iat_effect_size,
                         "p one-sided": r.p_one_sided, "p two-sided": r.p_two_sided,
                         "exact": r.exact, "coverage": coverage.coverage})
        bar.empty()
        st.session_state["weat_all_table"] = (embedding.sha256, pd.DataFrame(rows))
    stored = st.session_state.get("weat_all_table")
    if stored and stored[0] == embedding.sha256:
        table = stored[1]
        order = [c for c in ("test", "title", "effect size", "effect", "IAT d", "p one-sided",
                             "p two-sided", "coverage", "exact", "note") if c in table]
        # every column fits 1400 px: the title (which tells WEAT 3, 4 and 5 apart) wraps
        st.dataframe(table, hide_index=True, column_order=order, row_height=68, height="content",
                     placeholder="–", column_config={
            "test": st.column_config.TextColumn(width=65),
            "title": st.column_config.TextColumn(width=340),
            "effect size": st.column_config.NumberColumn(format="%.3f", width=80),
            "effect": st.column_config.TextColumn(width=80),
            "IAT d": st.column_config.NumberColumn(width=55),
            "p one-sided": st.column_config.NumberColumn(format="%.3g", width=90),
            "p two-sided": st.column_config.NumberColumn(format="%.3g", width=90),
            "coverage": st.column_config.NumberColumn(format="percent", width=75),
            "exact": st.column_config.CheckboxColumn(width=50)})
        csv_download(stored[1], "weat_all.csv", key="csv-weat-all")
