"""Province boundaries (ntm_analysis.data.boundaries): every province of each geography, the archipelagos where the
README puts them, areas that agree with the match table, orientation, clear errors, and the cache."""
import csv
import json
import math
import shutil

import numpy as np
import pytest

from ntm_analysis import paths
from ntm_analysis.data import boundaries, cache, geo
from ntm_analysis.data.boundaries import BOUNDARY_FILES, load_boundaries, read_boundaries
from ntm_analysis.data.sources import RawDataError

RAW = paths.raw_dir()


@pytest.mark.parametrize("vintage, n", [(2008, 63), (2025, 34)])
def test_one_shape_per_province_of_the_geography(vintage, n):
    shapes = load_boundaries(vintage)
    assert len(shapes) == n
    assert list(shapes) == sorted(p.code for p in geo.provinces(vintage))
    assert all(s.code == c and s.vintage == vintage for c, s in shapes.items())


def test_names_and_codes_as_the_registry_has_them():
    old, new = load_boundaries(2008), load_boundaries(2025)
    assert old["48"].name == "Đà Nẵng" and old["10"].name == "Lào Cai" and old["67"].name == "Đắk Nông"
    # code 15 is Yên Bái in 2008 and the new Lào Cai in 2025
    assert old["15"].name == "Yên Bái" and new["15"].name == "Lào Cai"
    assert new["68"].name == "Lâm Đồng" and new["48"].name == "Thành phố Đà Nẵng" and "67" not in new


def test_archipelagos_are_parts_of_da_nang_and_khanh_hoa_in_both_geographies():
    for vintage in (2008, 2025):
        shapes = load_boundaries(vintage)
        hoang_sa = np.concatenate([p[0] for p in shapes["48"].parts_within(110.5, 180)])
        truong_sa = np.concatenate([p[0] for p in shapes["56"].parts_within(110.5, 180)])
        assert 111.0 < hoang_sa[:, 0].min() and hoang_sa[:, 0].max() < 113.0           # Paracel longitudes
        assert 15.5 < hoang_sa[:, 1].min() and hoang_sa[:, 1].max() < 17.2
        assert 113.9 < truong_sa[:, 0].min() and truong_sa[:, 0].max() < 116.0         # Spratly (NE: east of 114° E)
        assert 9.5 < truong_sa[:, 1].min() and truong_sa[:, 1].max() < 11.2
        others = [c for c in shapes if c not in ("48", "56")]
        assert all(not shapes[c].parts_within(110.5, 180) for c in others)
    assert len(load_boundaries(2008)["48"].parts_within(110.5, 180)) == 6
    assert len(load_boundaries(2008)["56"].parts_within(110.5, 180)) == 11


def _area_km2(shape) -> float:
    """Area on the sphere (R = 6371.0088 km), each ring projected equal-area (x = R·λ·cos φ0 at the ring's mean
    latitude, y = R·φ): within a fraction of a percent at a province's size."""
    r = 6371.0088
    total = 0.0
    for poly in shape.polygons:
        for j, ring in enumerate(poly):
            lat0 = math.radians(ring[:, 1].mean())
            x = np.radians(ring[:, 0]) * r * math.cos(lat0)
            y = np.radians(ring[:, 1]) * r
            a = 0.5 * (np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))
            assert (a > 0) == (j == 0), (shape.code, j)  # exterior counter-clockwise, holes clockwise
            total += a
    return total


def test_areas_agree_with_the_match_table():
    """The match table (written when the files were made, with another tool) gives each province's area after
    simplification: the shapes read here give the same areas (0.5 %)."""
    with open(RAW / "boundaries" / "vnm_provinces_63_ne10m_match.csv", encoding="utf-8") as fh:
        table = {r["gso_code"]: float(r["area_km2_simplified"]) for r in csv.DictReader(fh)}
    shapes = load_boundaries(2008)
    assert set(table) == set(shapes)
    for code, expected in table.items():
        assert _area_km2(shapes[code]) == pytest.approx(expected, rel=0.005), code
    assert table["10"] == pytest.approx(7927, abs=1)  # Lào Cai, as the README says (NE: 7,927 vs about 6,364)
    # a 2025 province is the union of its constituents: the same area
    new = load_boundaries(2025)
    assert _area_km2(new["68"]) == pytest.approx(table["60"] + table["67"] + table["68"], rel=0.005)


def test_rings_are_closed_read_only_and_inside_vietnam():
    for vintage in (2008, 2025):
        for shape in load_boundaries(vintage).values():
            for poly in shape.polygons:
                for ring in poly:
                    assert np.array_equal(ring[0], ring[-1]) and len(ring) >= 4
                    assert not ring.flags.writeable
            lon0, lat0, lon1, lat1 = shape.bounds
            assert 102.0 < lon0 < lon1 < 117.0 and 8.0 < lat0 < lat1 < 23.5


def _data_copy(tmp_path):
    data = tmp_path / "data"
    (data / "raw" / "boundaries").mkdir(parents=True)
    for name in BOUNDARY_FILES.values():
        shutil.copy(RAW / name, data / "raw" / name)
    return data


def _edit(data, vintage, change):
    path = data / "raw" / BOUNDARY_FILES[vintage]
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_unknown_code_names_file_feature_field_and_value(tmp_path):
    data = _data_copy(tmp_path)
    path = _edit(data, 2008, lambda d: d["features"][4]["properties"].update(gso_code="99"))
    with pytest.raises(RawDataError) as err:
        read_boundaries(2008, data)
    msg = str(err.value)
    assert str(path) in msg and "row 5" in msg and "'gso_code'" in msg and "'99'" in msg
    assert "a GSO province code of the 2008 geography" in msg


def test_a_missing_province_and_a_bad_coordinate_are_refused(tmp_path):
    data = _data_copy(tmp_path)
    _edit(data, 2025, lambda d: d["features"].pop(0))  # Hà Nội (01)
    with pytest.raises(RawDataError, match=r"found '01'; expected a feature for every province of the 2025"):
        read_boundaries(2025, data)

    def swap(d):  # latitude first: the first point of Hà Nội's ring becomes (21.0, 105.8)
        ring = d["features"][0]["geometry"]["coordinates"][0]
        ring[0] = ring[-1] = [ring[0][1], ring[0][0]]
    _edit(data, 2008, swap)
    with pytest.raises(RawDataError, match=r"row 1, column 'coordinates of 01'.*longitude first"):
        read_boundaries(2008, data)


def test_a_wrong_vintage_is_refused():
    with pytest.raises(ValueError, match="vintage must be one of 2008, 2025, got 2019"):
        load_boundaries(2019)


def test_read_once_per_version_of_the_file(tmp_path):
    data = _data_copy(tmp_path)
    before = cache.builds["boundaries_2008"]
    a = load_boundaries(2008, data)
    b = load_boundaries(2008, data)
    assert cache.builds["boundaries_2008"] == before + 1
    assert a["10"] is b["10"] and a is not b  # shared read-only shapes, a fresh dict
    _edit(data, 2008, lambda d: d["features"][0]["properties"].update(name_vi="Hà Nội (edited)"))
    c = load_boundaries(2008, data)
    assert cache.builds["boundaries_2008"] == before + 2 and c["01"].name == "Hà Nội (edited)"


def test_aspect_is_the_cosine_scale():
    assert boundaries.aspect(16.0) == pytest.approx(1 / math.cos(math.radians(16.0)))
    assert boundaries.aspect(0.0) == pytest.approx(1.0)
