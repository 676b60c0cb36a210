"""The before/after pictures of a debias audit (computed by rnncore.audit.pictures)."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from dashboard.components import style
from dashboard.components.downloads import plot
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


def projections_chart(report: AuditReport) -> None:
    table = projection_shift(report)
    if table.empty:
        return
    ends = report.direction.negative_end, report.direction.positive_end
    fig = px.bar(table, x="projection", y="word", color="embedding", barmode="group",
                 orientation="h", color_discrete_map=BEFORE_AFTER,
                 labels={"projection": f"projection on the original direction "
                                       f"({ends[0]} ← → {ends[1]})", "word": ""})
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=420)
    plot(style.legend_on_top(fig), "debias_projections")


def weat_chart(report: AuditReport) -> None:
    table = weat_shift(report)
    if table.empty:
        return
    fig = px.bar(table, x="effect size", y="title", color="embedding", barmode="group",
                 orientation="h", color_discrete_map=BEFORE_AFTER,
                 labels={"title": "", "effect size": "WEAT effect size d"},
                 hover_data={"p": ":.3g"})
    for limit in (-0.8, 0.8):
        fig.add_vline(x=limit, line_dash="dot", line_color="#8C8C8C")
    fig.update_layout(height=120 + 70 * table["test"].nunique())
    plot(style.legend_on_top(fig), "debias_weat")
    st.caption("Dotted lines: |d| = 0.8, where Cohen's *large* begins. A bar that changes "
               "side flipped the association.")


def cluster_chart(report: AuditReport) -> None:
    points = cluster_map(report)
    fig = px.scatter(points, x="x", y="y", color="original side", symbol="cluster",
                     hover_name="word", color_discrete_map=style.colour_map(
                         points["original side"].unique()),
                     labels={"x": "PC 1 (after debiasing)", "y": "PC 2 (after debiasing)"})
    fig.update_traces(marker={"size": 6, "opacity": 0.75})
    fig.update_layout(height=460)
    plot(style.legend_on_top(fig), "debias_clusters")
    st.caption("Each dot is one of the most biased words, placed by its debiased vector; the "
               "colour is the side it had **before** debiasing and the symbol its k-means "
               "cluster now. If the colours still separate, the bias is still in the geometry.")


def overlap_chart(report: AuditReport) -> None:
    table = neighbour_overlap(report)
    if table.empty:
        return
    fig = px.bar(table, x="overlap", y="word", orientation="h", range_x=[0, 1],
                 text=table["kept"].astype(str) + " of " + table["of"].astype(str),
                 labels={"overlap": "top neighbours kept after debiasing", "word": ""},
                 color_discrete_sequence=[style.NEUTRAL])
    fig.update_layout(height=120 + 36 * len(table))
    plot(fig, "debias_neighbour_overlap")


def show_pictures(report: AuditReport) -> None:
    """All four pictures in tabs (one result per screen in presentation mode)."""
    tabs = st.tabs(["Projections", "WEAT", "Clusters (Gonen & Goldberg)", "Neighbours kept"])
    with tabs[0]:
        projections_chart(report)
    with tabs[1]:
        weat_chart(report)
    with tabs[2]:
        cluster_chart(report)
    with tabs[3]:
        overlap_chart(report)
