"""A model's summary shown one paragraph per line (ntm_analysis.report.model_summary), checked on the HTML that
nbconvert's Markdown renderer (mistune) gives."""
import mistune
import pytest
from bs4 import BeautifulSoup

from ntm_analysis.models import beta_convergence
from ntm_analysis.analyses import national
from ntm_analysis.report.model_summary import model_markdown, paragraphs


def _html(md: str) -> BeautifulSoup:
    return BeautifulSoup(mistune.create_markdown(plugins=["table"])(md), "html.parser")


def test_each_line_is_its_own_paragraph_and_tables_and_lists_stay_whole():
    md = ("title line — dependent variable: y\n\n| term | estimate |\n|---|---|\n| x | 1.0 |\n| c | 2.0 |\n\n"
          "Observations: 63; units: 63\nStandard errors: HC1\nBootstrap: none\n- dropped 2 rows\n- another note")
    soup = _html(paragraphs(md))
    assert [p.get_text() for p in soup.find_all("p")] == [
        "title line — dependent variable: y", "Observations: 63; units: 63", "Standard errors: HC1", "Bootstrap: none"]
    assert len(soup.find_all("tr")) == 3 and len(soup.find_all("li")) == 2
    # as they were: the three lines ran together in one paragraph
    assert "Observations: 63; units: 63\nStandard errors: HC1\nBootstrap: none" in [
        p.get_text() for p in _html(md).find_all("p")]


@pytest.fixture(scope="module")
def beta():
    frame = national.analysis_frame().dropna(subset=["income_real"])
    return beta_convergence(frame, "income_real", unit="code", time="year", region="region")


def test_a_model_reads_title_summary_lines_then_reading(beta):
    soup = _html(model_markdown("β-convergence of real income", beta))
    assert soup.find("h3").get_text() == "β-convergence of real income"
    texts = [p.get_text() for p in soup.find_all("p")]
    assert texts[0].startswith("β-convergence: OLS of annual log growth")
    assert texts[1].startswith("Observations: 63") and "Standard errors" not in texts[1]
    assert texts[2].startswith("Standard errors: heteroskedasticity-robust")
    assert texts[-1] == "Reading. " + beta.reading()
    assert soup.find("table") is not None
