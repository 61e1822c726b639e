"""The latency distributions of one run as a PNG (box plots on a log scale)."""

from __future__ import annotations

from pathlib import Path

from bench.report import Report


def write_plot(report: Report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = list(report.samples)
    data = [[seconds * 1e3 for seconds in report.samples[label]] for label in labels]
    figure, axes = plt.subplots(figsize=(9, 0.6 * len(labels) + 1.5))
    axes.boxplot(data, orientation="horizontal", tick_labels=labels, showfliers=False)
    axes.set_xscale("log")
    axes.set_xlabel("latency (ms, log scale; whiskers 1.5 IQR, outliers hidden)")
    axes.set_title("colonies-sdk latency distributions")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
