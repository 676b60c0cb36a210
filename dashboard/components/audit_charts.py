"""The before/after pictures of a debias audit (computed by rnncore.audit.pictures).

:func:`audit_figures` builds the four finished figures once (k-means and plotly are the slow
part); a shared debias result keeps them beside its report (components/debias_runs.py), so a
rerun only draws them.
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from dashboard.components import style
from dashboard.components.downloads import finished, plot
from rnncore.audit import AuditReport
from rnncore.audit.pictures import cluster_map, neighbour_overlap, projection_shift, weat_shift
from rnncore.explain import chance_verdict, direct_bias_verdict, tiny

BEFORE_AFTER = {"before": "#8C8C8C", "after": "#000000"}


def headline(report: AuditReport) -> None:
    """DirectBias and the Gonen & Goldberg figures with their verdicts."""
    metrics = report.metrics.set_index("metric")
    row = metrics.loc["DirectBias (c = 1)"]
    rec = report.recoverability
    c1, c2 = st.columns(2)
    c1.metric("DirectBias after", tiny(row["after"]), f"{row['change']:+.3g}",
              delta_color="inverse", help=f"Exactly {row['after']:.3g}")
    c1.caption(f"Before: {direct_bias_verdict(row['before'])}. After: "
               f"{direct_bias_verdict(row['after'])}.")
    c2.metric("Classifier still recovers the old side", f"{rec.classifier_after:.0%}")
    c2.caption(f"Cross-validated RBF SVM on the most biased words: "
               f"{chance_verdict(rec.classifier_after)}. k-means agreement: "
               f"{chance_verdict(rec.kmeans_after)}.")


def projections_chart(report: AuditReport) -> go.Figure | None:
    table = projection_shift(report)
    if table.empty:
        return None
    ends = report.direction.negative_end, report.direction.positive_end
    fig = px.bar(table, x="projection", y="word", color="embedding", barmode="group",
                 orientation="h", color_discrete_map=BEFORE_AFTER,
                 labels={"projection": f"projection on the original direction "
                                       f"({ends[0]} ← → {ends[1]})", "word": ""})
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=420)
    return style.legend_on_top(fig)


def weat_chart(report: AuditReport) -> go.Figure | None:
    table = weat_shift(report)
    if table.empty:
        return None
    fig = px.bar(table, x="effect size", y="title", color="embedding", barmode="group",
                 orientation="h", color_discrete_map=BEFORE_AFTER,
                 labels={"title": "", "effect size": "WEAT effect size d"},
                 hover_data={"p": ":.3g"})
    for limit in (-0.8, 0.8):
        fig.add_vline(x=limit, line_dash="dot", line_color="#8C8C8C")
    fig.update_layout(height=120 + 70 * table["test"].nunique())
    return style.legend_on_top(fig)


def cluster_chart(report: AuditReport) -> go.Figure:
    points = cluster_map(report)
    fig = px.scatter(points, x="x", y="y", color="original side", symbol="cluster",
                     hover_name="word", color_discrete_map=style.colour_map(
                         points["original side"].unique()),
                     labels={"x": "PC 1 (after debiasing)", "y": "PC 2 (after debiasing)"})
    fig.update_traces(marker={"size": 6, "opacity": 0.75})
    fig.update_layout(height=460)
    return style.legend_on_top(fig)


def overlap_chart(report: AuditReport) -> go.Figure | None:
    table = neighbour_overlap(report)
    if table.empty:
        return None
    fig = px.bar(table, x="overlap", y="word", orientation="h", range_x=[0, 1],
                 text=table["kept"].astype(str) + " of " + table["of"].astype(str),
                 labels={"overlap": "top neighbours kept after debiasing", "word": ""},
                 color_discrete_sequence=[style.NEUTRAL])
    fig.update_layout(height=120 + 36 * len(table))
    return fig


PICTURES = {  # name: (tab title, figure builder, file name, caption)
    "projections": ("Projections", projections_chart, "debias_projections", ""),
    "weat": ("WEAT", weat_chart, "debias_weat",
             "Dotted lines: |d| = 0.8, where Cohen's *large* begins. A bar that changes side "
             "flipped the association."),
    "clusters": ("Clusters (Gonen & Goldberg)", cluster_chart, "debias_clusters",
                 "Each dot is one of the most biased words, placed by its debiased vector; the "
                 "colour is the side it had **before** debiasing and the symbol its k-means "
                 "cluster now. If the colours still separate, the bias is still in the "
                 "geometry."),
    "overlap": ("Neighbours kept", overlap_chart, "debias_neighbour_overlap", ""),
}


def audit_figures(report: AuditReport) -> dict[str, go.Figure | None]:
    """The four finished pictures of ``report`` (None where it has nothing to show)."""
    figures = {}
    for name, (_, build, _, _) in PICTURES.items():
        figure = build(report)
        figures[name] = None if figure is None else finished(figure)
    return figures


def show_pictures(report: AuditReport, figures: dict[str, go.Figure | None] | None = None
                  ) -> None:
    """All four pictures in tabs (one result per screen in presentation mode); ``figures``:
    made before by :func:`audit_figures` (else built now)."""
    figures = figures if figures is not None else audit_figures(report)
    tabs = st.tabs([title for title, _, _, _ in PICTURES.values()])
    for tab, (name, (_, _, filename, caption)) in zip(tabs, PICTURES.items(), strict=True):
        with tab:
            if figures.get(name) is not None:
                plot(figures[name], filename, ready=True)
                if caption:
                    st.caption(caption)
