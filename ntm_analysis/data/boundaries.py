"""Province boundaries for maps: plain polygons per GSO province code, in both geography vintages.

The boundary files in ``data/raw/boundaries/`` are byte-identical copies of Natural Earth's 1:10m admin-1 layer
(public domain), simplified and coded to GSO province codes (see that folder's ``README.md`` and
``data/provenance.yml``):

* ``vintage=2008``: the 63 provinces (1 August 2008 – 30 June 2025),
  ``vnm_provinces_63_ne10m_simplified.geojson``;
* ``vintage=2025``: the 34 provinces of 1 July 2025, the 63 dissolved by Resolution 202/2025/QH15,
  ``vnm_provinces_34_2025_ne10m_dissolved.geojson``.

Hoàng Sa (Paracel) is part of Đà Nẵng (48) and Trường Sa (Spratly) part of Khánh Hòa (56) in both files. Borders are
approximate (Natural Earth calls its admin-1 layer "beta"): good for national choropleths, not for measuring areas.

Only the standard library's :mod:`json` and NumPy are needed (no GIS stack). Coordinates are longitude, latitude
(WGS 84 degrees). Loaded boundaries are kept by :func:`ntm_analysis.data.cache.memo`, keyed by the file's checksum.

>>> b = load_boundaries(2008)
>>> len(b), b["48"].name
(63, 'Đà Nẵng')
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import numpy as np

from ntm_analysis import paths
from ntm_analysis.data import cache, geo
from ntm_analysis.data.sources import RawDataError
from ntm_analysis.text import nfc

#: The boundary file of each geography vintage (relative to ``data/raw/``).
BOUNDARY_FILES = {
    2008: "boundaries/vnm_provinces_63_ne10m_simplified.geojson",
    2025: "boundaries/vnm_provinces_34_2025_ne10m_dissolved.geojson",
}
#: The feature property holding the GSO code, and the one holding the name, in each vintage's file.
_CODE_FIELD = {2008: "gso_code", 2025: "gso_code_2025"}
_NAME_FIELD = {2008: "name_vi", 2025: "name_vi"}
#: Where Vietnam's territory lies (longitude, latitude): a coordinate outside is a broken file.
_LON_RANGE = (100.0, 118.0)
_LAT_RANGE = (6.0, 24.5)


@dataclass(frozen=True)
class ProvinceShape:
    """The boundary of one province.

    ``polygons`` is a tuple of polygons; each polygon is a tuple of rings (the exterior first, then its holes), each
    ring a read-only ``(n, 2)`` float array of longitude, latitude with the first point repeated at the end. Exterior
    rings run counter-clockwise and holes clockwise (so a non-zero fill draws holes as holes).
    """

    code: str
    name: str
    vintage: int
    polygons: tuple[tuple[np.ndarray, ...], ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(lon_min, lat_min, lon_max, lat_max)`` over every part."""
        pts = np.concatenate([poly[0] for poly in self.polygons])
        return (float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max()))

    def parts_within(self, lon_min: float, lon_max: float) -> list[tuple[np.ndarray, ...]]:
        """The polygons whose exterior lies wholly between two longitudes (e.g. the archipelagos east of 110° E)."""
        return [p for p in self.polygons if p[0][:, 0].min() >= lon_min and p[0][:, 0].max() <= lon_max]


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def _ring(coords: object, file: str, feature: int, code: str, exterior: bool) -> np.ndarray:
    """One ring as a read-only array, oriented (exterior counter-clockwise, hole clockwise); anything that is not a
    closed ring of at least four finite points inside Vietnam's extent raises :class:`RawDataError`."""
    where = f"coordinates of {code}"
    try:
        arr = np.asarray(coords, dtype="float64")
    except (TypeError, ValueError):
        raise RawDataError(file, feature, where, str(coords)[:80], "rings of [longitude, latitude] numbers") from None
    if arr.ndim != 2 or arr.shape[1] < 2 or len(arr) < 4:
        raise RawDataError(file, feature, where, str(coords)[:80], "a ring of at least 4 [longitude, latitude] points")
    arr = arr[:, :2]
    if not np.isfinite(arr).all():
        raise RawDataError(file, feature, where, str(coords)[:80], "finite coordinates")
    bad = ~((arr[:, 0] >= _LON_RANGE[0]) & (arr[:, 0] <= _LON_RANGE[1])
            & (arr[:, 1] >= _LAT_RANGE[0]) & (arr[:, 1] <= _LAT_RANGE[1]))
    if bad.any():
        raise RawDataError(file, feature, where, arr[bad][0].tolist(),
                           f"longitude {_LON_RANGE[0]}–{_LON_RANGE[1]}, latitude {_LAT_RANGE[0]}–{_LAT_RANGE[1]} "
                           "(WGS 84 degrees, longitude first)")
    if not np.array_equal(arr[0], arr[-1]):
        raise RawDataError(file, feature, where, arr[[0, -1]].tolist(), "a closed ring (last point = first point)")
    if (_signed_area(arr) > 0) != exterior:
        arr = arr[::-1].copy()
    arr.setflags(write=False)
    return arr


def read_boundaries(vintage: int = 2008, data_dir: str | os.PathLike | None = None) -> dict[str, ProvinceShape]:
    """Read a vintage's boundary file (no cache): :class:`ProvinceShape` per GSO code, sorted by code.

    Raises :class:`RawDataError` (file, feature number counted from 1, field, value, what was expected) on a
    feature without a known code of that vintage, a repeated code, a province of the registry without a feature,
    or a geometry that is not a (multi)polygon of valid rings."""
    if vintage not in BOUNDARY_FILES:
        raise ValueError(f"vintage must be one of {', '.join(map(str, BOUNDARY_FILES))}, got {vintage!r}")
    name = BOUNDARY_FILES[vintage]
    path = paths.raw_dir(data_dir) / name
    if not path.exists():
        raise RawDataError(path, None, None, None, "the boundary file to exist (is NTM_DATA_DIR pointing at a data "
                                                     "folder with raw/boundaries/?)")
    with open(path, encoding="utf-8") as fh:
        try:
            doc = json.load(fh)
        except json.JSONDecodeError as exc:
            raise RawDataError(path, exc.lineno, None, exc.msg, "a GeoJSON FeatureCollection") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise RawDataError(path, None, "type", doc.get("type") if isinstance(doc, dict) else type(doc).__name__,
                           "'FeatureCollection'")
    known = {p.code for p in geo.provinces(vintage)}
    shapes: dict[str, ProvinceShape] = {}
    for i, feature in enumerate(doc.get("features", []), start=1):
        props = feature.get("properties") or {}
        code = nfc(str(props.get(_CODE_FIELD[vintage], "")))
        if code not in known:
            raise RawDataError(path, i, _CODE_FIELD[vintage], code,
                               f"a GSO province code of the {vintage} geography (e.g. '01')")
        if code in shapes:
            raise RawDataError(path, i, _CODE_FIELD[vintage], code, "one feature per province (code repeated)")
        geom = feature.get("geometry") or {}
        kind = geom.get("type")
        if kind == "Polygon":
            raw_polys = [geom.get("coordinates")]
        elif kind == "MultiPolygon":
            raw_polys = geom.get("coordinates")
        else:
            raise RawDataError(path, i, "geometry.type", kind, "'Polygon' or 'MultiPolygon'")
        if not raw_polys or not all(isinstance(p, list) and p for p in raw_polys):
            raise RawDataError(path, i, f"coordinates of {code}", str(raw_polys)[:80], "at least one polygon")
        polygons = tuple(tuple(_ring(r, str(path), i, code, exterior=(j == 0)) for j, r in enumerate(poly))
                         for poly in raw_polys)
        shapes[code] = ProvinceShape(code=code, name=nfc(str(props.get(_NAME_FIELD[vintage], ""))), vintage=vintage,
                                     polygons=polygons)
    missing = sorted(known - set(shapes))
    if missing:
        raise RawDataError(path, None, _CODE_FIELD[vintage], ", ".join(missing),
                           f"a feature for every province of the {vintage} geography")
    return dict(sorted(shapes.items()))


def load_boundaries(vintage: int = 2008, data_dir: str | os.PathLike | None = None) -> dict[str, ProvinceShape]:
    """The boundaries of a geography vintage (2008: 63 provinces; 2025: 34): :class:`ProvinceShape` per GSO code
    ("01" … "96"), sorted by code; read once per version of the file (:func:`ntm_analysis.data.cache.memo`).

    The dict is a fresh copy; the shapes and their arrays are shared and read-only."""
    if vintage not in BOUNDARY_FILES:
        raise ValueError(f"vintage must be one of {', '.join(map(str, BOUNDARY_FILES))}, got {vintage!r}")
    shapes = cache.memo(f"boundaries_{vintage}", [f"raw/{BOUNDARY_FILES[vintage]}"],
                        lambda: read_boundaries(vintage, data_dir), data_dir, copy=False)
    return dict(shapes)


def extent(shapes: dict[str, ProvinceShape]) -> tuple[float, float, float, float]:
    """``(lon_min, lat_min, lon_max, lat_max)`` of all shapes."""
    b = np.array([s.bounds for s in shapes.values()])
    return (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))


def aspect(lat: float = 16.0) -> float:
    """The y/x scale that makes a degree of longitude as long as it is at latitude ``lat`` (equirectangular)."""
    return 1.0 / math.cos(math.radians(lat))
