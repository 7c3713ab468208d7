"""Words the reports choose by a code from the data (action and trend states, the check's
verdict and results). The words are in the ``nettonul`` catalogue; the keys are marked here,
since they are built from data, so that message extraction keeps them."""

from __future__ import annotations

from nettonul.engine.core.i18n import N_, text

KEYS = (
    N_("report.state.completed"), N_("report.state.cancelled"), N_("report.state.late"),
    N_("report.state.stale"), N_("report.state.on_track"), N_("report.state.not_started"),
    N_("report.state.no_data"), N_("report.state.at_risk"), N_("report.state.off_track"),
    N_("report.state.insufficient_data"),
    N_("report.verdict.pass"), N_("report.verdict.pass_with_warnings"), N_("report.verdict.fail"),
    N_("report.result.pass"), N_("report.result.fail"), N_("report.result.warn"), N_("report.result.n.a."),
)


def term(family: str, code: str, language: str) -> str:
    """The word for ``code`` in ``family`` (``state``, ``verdict``, ``result``)."""
    return text(f"report.{family}.{code}", language)
