"""Input digests: what decides whether a report is re-rendered (real data, edited copies)."""
import csv

from ntm_analysis.data import cache, geo
from ntm_analysis.report.params import ReportParams
from ntm_analysis.report.inputs import input_digest, input_digests


def _edit(path, match: dict, column: str, new: str) -> str:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    for row in rows[1:]:
        if all(row[header.index(k)].strip() == v for k, v in match.items()):
            old, row[header.index(column)] = row[header.index(column)], new
            break
    else:
        raise AssertionError(f"no row {match} in {path}")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return old


def _digests(data):
    params = [ReportParams(province=p.code, data_dir=str(data)).validate() for p in geo.provinces(2008)]
    params += [ReportParams(province=p.code, vintage=2025, data_dir=str(data)).validate() for p in geo.provinces(2025)]
    return input_digests(params, str(data))


def test_each_report_has_its_own_digest_and_variants_differ(data_copy):
    data = data_copy
    d = _digests(data)
    assert len(d) == 63 + 34 and len(set(d.values())) == 63 + 34
    vi = ReportParams(province="10", lang="vi", data_dir=str(data)).validate()
    assert input_digest(vi) != d["2008/10"]


def test_a_province_figure_re_renders_that_province_and_its_2025_province_only(data_copy):
    data = data_copy
    before = _digests(data)
    old = _edit(data / "raw" / "ntm_resources_by_province.csv",
                {"province_name_vi": "Lào Cai", "indicator": "resources_credit"}, "value", "40072")
    assert old == "40071"
    after = _digests(data)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"2008/10", "2025/15"}  # Lào Cai, and Lào Cai 2025 (= Lào Cai + Yên Bái)


def test_same_figures_in_a_rewritten_file_change_nothing(data_copy):
    data = data_copy
    before = _digests(data)
    cpi = data / "raw" / "cpi_national_annual_gso.csv"
    cpi.write_bytes(cpi.read_bytes() + b"\n")
    assert _digests(data) == before


def test_an_income_figure_in_the_model_years_changes_every_report(data_copy):
    # every report shows the cross-province model of 2010-2016, which reads every province's income
    data = data_copy
    before = _digests(data)
    _edit(data / "raw" / "income_per_capita_monthly_by_province.csv", {"province_code": "02", "year": "2010"},
          "income_total", "606.0")
    after = _digests(data)
    assert all(before[k] != after[k] for k in before)


def test_an_edited_seed_figure_changes_the_digests_in_the_same_process(data_copy):
    """The seed articles' figures feed every report's digest (the case-study section): a warm kernel must see an
    edit of the seed file (main kept the shared part keyed by the report's data files only, without it)."""
    data = data_copy
    before = _digests(data)
    builds = cache.builds["digest_context"]
    f = data / "seeds" / "seed_articles_figures.csv"
    text = f.read_text(encoding="utf-8")
    assert text.count(",20.42,") == 1
    f.write_text(text.replace(",20.42,", ",25.5,"), encoding="utf-8")
    after = _digests(data)
    assert cache.builds["digest_context"] == builds + 1
    assert all(before[k] != after[k] for k in before)


def test_the_shared_part_is_built_once_per_data_version(data_copy):
    data = data_copy
    lao_cai = ReportParams(province="10", data_dir=str(data)).validate()
    first = input_digest(lao_cai)
    builds = cache.builds["digest_context"]
    assert _digests(data)["2008/10"] == first and cache.builds["digest_context"] == builds
    for unrelated in ("codebook.yml", "raw/poverty_molisa_national_regional.csv", "seeds/README.md"):
        f = data / unrelated
        f.write_bytes(f.read_bytes() + b"\n")
    assert input_digest(lao_cai) == first and cache.builds["digest_context"] == builds


def test_a_warm_kernels_preload_leaves_nothing_to_build_for_a_report(data_copy):
    """report.spec.preload fills the caches once per data folder; a report in that kernel builds none of them."""
    from ntm_analysis.report import results
    from ntm_analysis.report.context import ReportContext
    from ntm_analysis.report.spec import preload

    data = data_copy
    preload(str(data))
    names = ("rank_table", "digest_context", "province_model:2010-2016", "period_elasticities:2010-2016",
             "seed_data", "panel", "resources_section:headline")
    built = {n: cache.builds[n] for n in names}
    assert all(built.values())
    ctx = ReportContext.load(ReportParams(province="Lào Cai", data_dir=str(data)).validate())
    assert results.ranks(ctx)["code"].eq("10").all() and len(results.ranks(ctx))
    assert len(input_digest(ctx.params)) == 64
    assert results.model(ctx).cross_section.n_obs == 61
    assert len(results.seed_case(ctx)) == 2
    from ntm_analysis.report import resources_section
    assert len(resources_section.headline_associations(str(data))) == len(resources_section.res.HEADLINE_ASSOCIATIONS)
    assert {n: cache.builds[n] for n in names} == built


def test_an_edited_seed_file_alone_makes_the_engine_recompute_the_digests(data_copy):
    """The engine reuses a recorded digest while the checksums of the spec's data files are unchanged: the seed
    file must be one of them, or an edit of it alone would leave every report stale."""
    from ntm_analysis.render.jobs import data_checksums, known_digests, package_fingerprint
    from ntm_analysis.render.spec import as_spec
    from ntm_analysis.report import spec as report_spec

    spec = as_spec(report_spec.DOCUMENT)
    data = data_copy
    p = ReportParams(province="10", data_dir=str(data)).validate()
    sums = data_checksums(spec, str(data))
    assert "seeds/seed_articles_figures.csv" in sums
    entry = {"inputs": {"data_digest": input_digest(p), "document": spec.name, "data": sums,
                        "parameters": p.to_notebook_parameters(), "package_sha256": package_fingerprint()}}
    memo = {(spec.name, p.data_dir): sums}
    assert known_digests(spec, [p], {p.key: entry}, memo) == {p.key: entry["inputs"]["data_digest"]}
    seeds = data / "seeds" / "seed_articles_figures.csv"
    seeds.write_bytes(seeds.read_bytes().replace(b"50.79", b"50.80", 1))
    after = data_checksums(spec, str(data))
    assert after["seeds/seed_articles_figures.csv"] != sums["seeds/seed_articles_figures.csv"]
    assert known_digests(spec, [p], {p.key: entry}, {(spec.name, p.data_dir): after}) == {}  # recomputed
    assert input_digest(p) != entry["inputs"]["data_digest"]
