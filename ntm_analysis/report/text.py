"""The words of a province report: headings, prose, readings, notes and caveats, in the report's language.

Markdown (:class:`ntm_analysis.i18n.MarkdownText`) or HTML (:class:`markupsafe.Markup`) built from the catalog
(:mod:`ntm_analysis.i18n`), escaped by the message's kind; data-derived fields (names, sources) are escaped.
Plain-text notes (:func:`reason_text`, :func:`elasticity_note`, :func:`aggregate_note`, :func:`claim_texts`)
are cells of report tables: the display layer escapes them.
"""
from __future__ import annotations

import markupsafe

from ntm_analysis import i18n
from ntm_analysis.analyses.elasticity import unstable
from ntm_analysis.analyses.seed_cases import ARTICLES, SEED_FILE, claim_input, seed_provinces
from ntm_analysis.data.variables import CPI_VARIABLE, POPULATION
from ntm_analysis.indicators._common import year_ranges
from ntm_analysis.indicators.aggregate import LATEST_WEIGHT_VARIABLE
from ntm_analysis.report import results
from ntm_analysis.report.columns import as_of_written
from ntm_analysis.report.context import REAL_BASE_YEAR, ReportContext, place_label, region_name

MarkdownText = i18n.MarkdownText
#: Decimals of changes in log points (three would read as thousands in an English-style number, 0,793).
LOG_DECIMALS = 2
#: GSO's national income of 2016 (thousand VND/person/month): preliminary, then final (caveat text).
INCOME_2016_NATIONAL = {"preliminary": 3049, "final": 3098}


def fmt(value: object, decimals: int = 0, lang: str = "en") -> str:
    """A number in the reader's format (em dash when missing)."""
    return i18n.fmt_number(value, lang, decimals)


def signed(value: float, decimals: int, lang: str) -> str:
    """A number with "+" before a positive value."""
    return ("+" if value > 0 else "") + fmt(value, decimals, lang)


def as_written(value: float, lang: str) -> str:
    """A figure as its source wrote it (its own decimals), in the reader's format."""
    return fmt(value, as_of_written(value), lang)


# --- headings and prose -----------------------------------------------------------------------------------------
def title(ctx: ReportContext) -> str:
    """The report's title (plain text, Vietnamese names with diacritics)."""
    return i18n.t("report_title", ctx.lang, name=ctx.place.name_short)


def heading(ctx: ReportContext, name: str) -> MarkdownText:
    """Markdown of one section's heading and introduction (``name``: key_figures, income, poverty, elasticity,
    aggregate, ranks, ntm, national, seeds, models, downloads, caveats, provenance)."""
    if name == "ranks" and ctx.place.vintage == 2025:
        return ranks_2025_heading(ctx)
    return i18n.markdown(f"sec_{name}", ctx.lang)


def ranks_2025_heading(ctx: ReportContext) -> MarkdownText:
    """The ranks section of a 2025-geography report: what is ranked among the 34, then "rank r of n" for the
    latest year of each figure, with its weight year and status."""
    lang = ctx.lang
    lines = [i18n.markdown("sec_ranks_2025", lang, name=ctx.place.name_short)]
    r = results.ranks_2025(ctx)
    items = []
    for variable, rows in r.groupby("variable", sort=False):
        last = rows.sort_values("year").iloc[-1]
        extra = [i18n.label("status", str(last["status"]), lang)]
        if isinstance(last["weight_variable"], str) and last["weight_variable"]:
            extra.insert(0, i18n.t("weighted_by_year", lang, year=int(last["weight_year"])))
        items.append(i18n.markdown("rank_2025_line", lang, figure=i18n.label("rank_figure", variable, lang),
                                   year=int(last["year"]), rank=int(last["rank_nation"]), n=int(last["n_nation"]),
                                   extra="; ".join(extra)))
    if items:
        lines += ["", "\n".join(items)]
    return MarkdownText("\n".join(lines))


def intro(ctx: ReportContext) -> MarkdownText:
    """Heading and the paragraphs saying which province, geography and years the report covers (names from the
    data folder are escaped)."""
    p, prm, lang = ctx.place, ctx.params, ctx.lang
    basis = i18n.t("basis_nominal" if prm.price_basis == "nominal" else "basis_real", lang)
    lines = [f"# {i18n.md_escape(title(ctx))}", "",
             i18n.markdown("intro_place", lang, name=p.name, name_en=p.name_en, code=p.code,
                           region=region_name(p.region, lang), vintage=p.vintage, start=prm.year_start,
                           end=prm.year_end, basis=basis)]
    if p.vintage == 2025:
        names = ", ".join(place_label(m) for m in ctx.members)
        lines += ["", i18n.markdown("intro_constituents", lang, label=i18n.t("constituents", lang), names=names)]
    lines += ["", i18n.markdown("sec_intro", lang)]
    return MarkdownText("\n".join(lines))


def real_income_note(ctx: ReportContext) -> MarkdownText:
    """How income is shown (current or constant prices) and which years cannot be deflated."""
    lang = ctx.lang
    cpi = ctx.panel[(ctx.panel["variable"] == CPI_VARIABLE) & (ctx.panel["level"] == "national")]
    years = f"{int(cpi['year'].min())}–{int(cpi['year'].max())}" if not cpi.empty else i18n.t("cpi_none", lang)
    cover = i18n.t("cpi_cover", lang, years=years)
    if ctx.params.price_basis == "nominal":
        return i18n.markdown("income_note_nominal", lang, cover=cover)
    return i18n.markdown("income_note_real", lang, base=REAL_BASE_YEAR, cover=cover)


def paragraph(key: str, lang: str, **fields) -> MarkdownText:
    """One catalog message as a Markdown paragraph."""
    return i18n.markdown(key, lang, **fields)


def ntm_gaps(ctx: ReportContext) -> MarkdownText:
    """Which NTM indicators the province reported and which it did not (gaps stay gaps)."""
    lang = ctx.lang
    have = set(ctx.ntm["indicator"])
    missing = [i18n.label("indicator", k, lang) for k in i18n.LABELS["indicator"]
               if k not in have and not k.startswith(("land", "communes_ntm_pct"))]
    parts = [i18n.markdown("ntm_count", lang, n=len(ctx.ntm), k=len(have))]
    if missing:
        parts.append(i18n.markdown("ntm_not_reported", lang, items="; ".join(missing)))
    parts.append(i18n.markdown("ntm_never_summed", lang))
    return MarkdownText(" ".join(parts))


def caveats(ctx: ReportContext) -> MarkdownText:
    """The caveats a reader of this report must keep in mind (a Markdown list)."""
    lang = ctx.lang
    items = [i18n.markdown("cav_preliminary", lang, final=fmt(INCOME_2016_NATIONAL["final"], 0, lang),
                           prelim=fmt(INCOME_2016_NATIONAL["preliminary"], 0, lang)),
             i18n.markdown("cav_measures", lang), i18n.markdown("cav_nominal", lang), i18n.markdown("cav_ntm", lang),
             i18n.markdown("cav_survey", lang)]
    if ctx.has_aggregate:
        items.append(i18n.markdown("cav_2025", lang))
    if "01" in ctx.codes and ctx.params.year_start < 2008:
        items.append(i18n.markdown("cav_hanoi", lang))
    return MarkdownText("\n".join(f"- {s}" for s in items))


# --- notes of table rows (plain text) ---------------------------------------------------------------------------
def reason_text(reason: dict, lang: str = "en") -> str:
    """One refusal reason of :func:`ntm_analysis.analyses.elasticity.refusal_reasons` in words."""
    kind = reason["kind"]
    if kind == "measure_break":
        return i18n.t("el_break", lang, y0=reason["y0"], m0=i18n.label("measure", reason["m0"], lang),
                      y1=reason["y1"], m1=i18n.label("measure", reason["m1"], lang))
    if kind in ("missing_poverty", "zero_poverty", "missing_income", "nonpositive_income"):
        return i18n.t(f"el_{kind}", lang, year=reason["year"])
    if kind == "cpi":
        return i18n.t("el_cpi", lang, years=year_ranges(reason["years"]))
    if kind == "no_income_change":
        return i18n.t("el_no_income_change", lang)
    return i18n.t("el_other", lang, message=reason.get("message", ""))


def elasticity_note(record, lang: str = "en") -> str:
    """The note of one elasticity row: why it was not computed, or that its denominator is small."""
    if not record["computed"]:
        return i18n.t("el_not_computed", lang, reasons="; ".join(reason_text(r, lang) for r in record["reasons"]))
    if unstable(record["dln_income"]):
        return i18n.t("el_unstable", lang, pct=fmt(record["income_growth_real_pct"], 1, lang))
    return ""


def period_text(y0: int, y1: int, kind: str, lang: str) -> str:
    """An elasticity period: "2012–2014", or "2010–2016 (whole run)" for a run of survey years."""
    period = f"{y0}–{y1}"
    return i18n.t("el_span", lang, period=period) if kind == "span" else period


def aggregate_note(ctx: ReportContext, record: dict) -> str:
    """How one record of :func:`ntm_analysis.report.results.aggregate_rows` was computed (the weights), or why
    it was not."""
    lang, r = ctx.lang, record
    names = {m.code: m.name_short for m in ctx.members}
    missing = ", ".join(f"{names[c]} ({c})" for c in r["missing"])
    if r["reason"] is None:
        if r["variable"] == POPULATION:
            return i18n.t("how_sum", lang)
        ws = "; ".join(f"{names[c]} {fmt(w, 1, lang)}" for c, w in r["weights"].items())
        wyear = r.get("weight_year") or r["year"]
        if r.get("weight_variable") == LATEST_WEIGHT_VARIABLE:
            if wyear != r["year"]:
                return i18n.t("how_weights_latest", lang, year=wyear, fig_year=r["year"], weights=ws)
            return i18n.t("how_weights_v0201", lang, year=wyear, weights=ws)
        return i18n.t("how_weights", lang, year=wyear, weights=ws)
    if r["reason"] == "no_value":
        return i18n.t("gap_no_value", lang, names=missing, year=r["year"])
    if r["reason"] == "no_weight":
        return i18n.t("gap_no_weight", lang, names=missing, year=r["year"])
    if r["reason"] == "measures":
        return i18n.t("gap_measures", lang)
    return i18n.t("gap_other", lang)


def aggregate_how(ctx: ReportContext, record: dict) -> str:
    """How a 2025 aggregate (a record of :func:`ntm_analysis.report.results.aggregate_rows`) was formed — "aggregated
    from Lào Cai (10) + Yên Bái (15), 2008 geography (population-weighted mean); weights: …" — or why it was not."""
    if record["reason"] is not None:
        return aggregate_note(ctx, record)
    members = " + ".join(place_label(m) for m in ctx.members)
    if record["variable"] == POPULATION:
        return i18n.t("summed_from", ctx.lang, members=members)
    how = i18n.t("aggregated_from", ctx.lang, members=members, how=i18n.t("weighted_mean", ctx.lang))
    return f"{how}; {aggregate_note(ctx, record)}"


def model_note(row, lang: str) -> str:
    """A province's row of the model: its reading (more or less poverty reduction than predicted only outside the
    95 % prediction interval, else about as predicted; its rank) or why it is not in the model."""
    if not row["in_model"]:
        return i18n.t("model_left_out", lang, reason="; ".join(reason_text(x, lang) for x in row["reasons"]))
    key = {"more_reduction": "model_more", "less_reduction": "model_less",
           "as_predicted": "model_about"}[row["versus_prediction"]]  # the 95 % prediction interval decides
    return i18n.t(key, lang, rank=int(row["rank"]), n=int(row["n"]))


# --- the elasticity and model sections --------------------------------------------------------------------------
def elasticity_intro(ctx: ReportContext) -> MarkdownText:
    """What the elasticity table shows (and, for a 2025 province, that each constituent has its own)."""
    parts = [i18n.markdown("el_intro", ctx.lang)]
    if ctx.has_aggregate:
        parts.append(i18n.markdown("el_2025", ctx.lang, name=ctx.place.name_short))
    return MarkdownText("\n\n".join(parts))


def model_intro(ctx: ReportContext) -> MarkdownText:
    """What the model is (period, measure), or why there is none in the report's years."""
    lang = ctx.lang
    if not results.has_model(ctx):
        return i18n.markdown("model_none", lang)
    model = results.model(ctx)
    parts = [i18n.markdown("model_intro", lang, y0=model.y0, y1=model.y1,
                           measure=i18n.label("measure", model.measure, lang))]
    if ctx.place.vintage == 2025:
        names = ", ".join(place_label(m) for m in ctx.members)
        parts.append(i18n.markdown("model_2025", lang, name=ctx.place.name_short, names=names))
    return MarkdownText("\n\n".join(parts))


def model_reading(ctx: ReportContext) -> MarkdownText:
    """What the model says about each member, in one sentence each (names escaped); empty without a model. A
    residual inside the 95 % prediction interval reads "about as predicted": no direction is claimed."""
    lang = ctx.lang
    if not results.has_model(ctx):
        return MarkdownText("")
    model = results.model(ctx)
    lines = []
    for _, r in results.model_members(ctx).iterrows():
        if not r["in_model"]:
            continue
        key = {"more_reduction": "model_sentence_more", "less_reduction": "model_sentence_less",
               "as_predicted": "model_sentence_about"}[r["versus_prediction"]]
        lines.append(i18n.markdown(key, lang, name=r["name"], y0=model.y0, y1=model.y1,
                                   low=signed(r["predicted_low"] - r["predicted"], LOG_DECIMALS, lang),
                                   high=signed(r["predicted_high"] - r["predicted"], LOG_DECIMALS, lang),
                                   growth=fmt(r["income_growth_real_pct"], 1, lang), p0=fmt(r["poverty0"], 1, lang),
                                   p1=fmt(r["poverty1"], 1, lang), pred=fmt(r["predicted_poverty1"], 1, lang),
                                   resid=signed(r["residual"], LOG_DECIMALS, lang),
                                   sd=fmt(model.residual_sd, LOG_DECIMALS, lang)))
    return MarkdownText("\n\n".join(lines))


def model_caveat(ctx: ReportContext) -> MarkdownText:
    """The model's caveats in one sentence (preliminary years named from the data); empty without a model."""
    if not results.has_model(ctx):
        return MarkdownText("")
    model = results.model(ctx)
    prelim = i18n.t("model_caveat_prelim", ctx.lang, year=model.y1) if "preliminary" in model.statuses else ""
    return i18n.markdown("model_caveat", ctx.lang, prelim=prelim)


# --- the seed case studies --------------------------------------------------------------------------------------
def claim_texts(r, lang: str) -> dict[str, str]:
    """The claim, the recomputation (formula = result) and the note of one seed claim
    (:func:`ntm_analysis.analyses.seed_cases.seed_claims_of`) in ``lang`` (the English texts of
    :func:`~ntm_analysis.indicators.seed_claims` for a claim of an unknown kind)."""
    kind, place = r["kind"], r["place"]
    value = r["recomputed_value"]
    unit = i18n.unit(r["unit"], lang)
    if kind in ("avg_pp", "avg_compound"):
        v0, v1 = claim_input(r, "poverty_rate", r["y0"]), claim_input(r, "poverty_rate", r["y1"])
        stated = claim_input(r, "poverty_rate_avg_decrease")
        y0, y1 = int(r["y0"]), int(r["y1"])
        if kind == "avg_pp":
            how = f"({as_written(v1, lang)} − {as_written(v0, lang)}) / ({y1} − {y0}) = {fmt(value, 2, lang)} {unit}"
        else:
            how = (f"(({as_written(v1, lang)} / {as_written(v0, lang)})^(1/{y1 - y0}) − 1) × 100 = "
                   f"{fmt(value, 2, lang)} {unit}")
        match = "seed_match" if bool(r["consistent"]) else "seed_no_match"
        note = " ".join([i18n.t(match, lang, stated=as_written(stated, lang)),
                         i18n.t("seed_yty_common", lang, y1=y1)])
        return {"claim": i18n.t(f"seed_claim_{kind}", lang, place=place, y0=y0, y1=y1), "how": how, "note": note}
    if kind == "change":
        y0, y1 = int(r["y0"]), int(r["y1"])
        v0, v1 = claim_input(r, "poverty_rate", y0), claim_input(r, "poverty_rate", y1)
        how = f"({as_written(v1, lang)} − {as_written(v0, lang)}) / ({y1} − {y0}) = {fmt(value, 2, lang)} {unit}"
        note = i18n.t("seed_change_spans" if r["spans_standard"] else "seed_change_same", lang, y0=y0, y1=y1)
        return {"claim": i18n.t("seed_claim_change", lang, place=place, y0=y0, y1=y1), "how": how, "note": note}
    if kind == "plan":
        from ntm_analysis.indicators import implied_target_range  # noqa: PLC0415

        inc, att = claim_input(r, "income_per_capita"), claim_input(r, "income_plan_attainment")
        lo, hi = implied_target_range(inc, att)
        how = f"{as_written(inc, lang)} / ({as_written(att, lang)} / 100) = {fmt(value, 2, lang)} {unit}"
        note = i18n.t("seed_plan_note", lang, pct=as_written(att, lang), lo=fmt(lo, 2, lang), hi=fmt(hi, 2, lang),
                      unit=unit, year=r["y1"])
        return {"claim": i18n.t("seed_claim_plan", lang, place=place, year=r["y1"], pct=as_written(att, lang)),
                "how": how, "note": note}
    if kind == "target":
        act, tgt = claim_input(r, "communes_ntm"), claim_input(r, "communes_ntm_target")
        how = f"{as_written(act, lang)} / {as_written(tgt, lang)} × 100 = {fmt(value, 1, lang)} {unit}"
        note = i18n.t("seed_target_note", lang, act=as_written(act, lang), tgt=as_written(tgt, lang), year=r["y1"])
        return {"claim": i18n.t("seed_claim_target", lang, place=place, year=r["y1"]), "how": how, "note": note}
    if lang == "en":
        return {"claim": r["claim_en"], "how": r["explanation_en"], "note": r["ambiguity_en"]}
    return {"claim": i18n.t("seed_claim_other", lang, place=place), "how": fmt(value, 2, lang) + " " + unit,
            "note": i18n.t("seed_other_note", lang)}


def _article_html(article: str, claims, lang: str) -> markupsafe.Markup:
    r = claims[claims["article"] == article].iloc[0]
    meta = ARTICLES.get(article, {"publisher": article, "title": "", "translation": ""})
    date = r["article_date"] or ""
    when = i18n.t("seed_dated", lang, date=i18n.date(date, lang)) if date else i18n.t("seed_undated", lang)
    link = markupsafe.Markup('<a href="{}" rel="noopener">{}</a>').format(r["article_url"],
                                                                          meta["title"] or r["article_url"])
    head = i18n.html("seed_article", lang, publisher=markupsafe.Markup("<strong>{}</strong>").format(meta["publisher"]),
                     title=markupsafe.Markup('<i lang="vi">“{}”</i>').format(link), when=when)
    about = i18n.html("seed_quotes_are", lang, site=markupsafe.Markup("<code>vietnam.vn</code>"),
                      file=markupsafe.Markup("<code>{}</code>").format(meta["translation"] or "data/seeds"))
    return markupsafe.Markup("<p>{}</p><p>{}</p>").format(head, about)


def seed_articles(ctx: ReportContext) -> markupsafe.Markup:
    """The case-study section's introduction: for every member with a seed article, the article(s) named, linked
    and dated, and what the quotes are; the reason when the seed figures are not in the data folder."""
    lang = ctx.lang
    claims = results.seed_case(ctx)
    parts = []
    with_seed = seed_provinces(ctx.params.data_dir)
    for m in ctx.members:
        if m.code not in with_seed:
            continue
        if ctx.has_aggregate:
            parts.append(markupsafe.Markup("<p>{}</p>").format(
                i18n.t("seed_2025", lang, name=m.name_short, code=m.code, place=ctx.place.name_short)))
        mine = claims[claims["code"] == m.code]
        if mine.empty:
            parts.append(markupsafe.Markup("<p>{}</p>").format(
                i18n.t("seed_missing", lang, file=SEED_FILE.rsplit("/", 1)[-1])))
            continue
        for article in dict.fromkeys(mine["article"]):
            parts.append(_article_html(article, mine, lang))
    if not parts:
        parts.append(markupsafe.Markup("<p>{}</p>").format(i18n.t("seed_none", lang)))
    return markupsafe.Markup("").join(parts)
