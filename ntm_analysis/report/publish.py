"""What the renderer does after a province report ran: the index summary and the downloads.

Called in the render worker once the report's HTML and executed notebook are written (the contract of
:attr:`ntm_analysis.render.spec.DocumentSpec.after_run`): writes the report's CSV/XLSX downloads atomically and
returns the key figures the index shows; raises on failure (the engine then records the failure).
"""
from __future__ import annotations


def after_run(nb, job) -> dict:
    """Downloads of ``job`` written, its index summary returned (``nb``: the executed notebook)."""
    from ntm_analysis.report.content import summary  # noqa: PLC0415
    from ntm_analysis.report.downloads import write_job_downloads  # noqa: PLC0415

    figures = summary(job.params)
    write_job_downloads(job)
    return figures
