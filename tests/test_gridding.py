"""Micro-grids: rectangles tile the area exactly, hexagons cover it, areas add up, GeoJSON round-trips and refuses junk."""
from __future__ import annotations

import itertools
import json
import math

import h3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nightwatch.geo import offset_point, rectangle
from nightwatch.gridding import (
    MAX_FEATURES,
    Feature,
    GeoJSONError,
    contains,
    grid_shape,
    hexagon_cells,
    polygon_area_m2,
    read_feature_collection,
    resolution_for,
    split_hexagons,
    split_into,
    split_rectangles,
    write_feature_collection,
)

# Guilin 东西巷: about 2.92万 m², here as 292 m × 100 m.
DONGXI_LAT, DONGXI_LON = 25.2847, 110.2965
DONGXI = rectangle(DONGXI_LAT, DONGXI_LON, 292, 100)


def sample_points(lat: float, lon: float, width_m: float, height_m: float, steps: int = 23) -> list[tuple[float, float]]:
    """A grid of points over a rectangle, just inside to just outside its edges."""
    fractions = [i / (steps - 1) * 1.02 - 0.51 for i in range(steps)]
    return [offset_point(lat, lon, fy * height_m, fx * width_m) for fx in fractions for fy in fractions]


def assert_tiles(area: dict, cells: list[dict], points: list[tuple[float, float]]) -> None:
    """Areas sum to the whole within 0.5%, and every point of the area is in exactly one cell."""
    assert sum(polygon_area_m2(c) for c in cells) == pytest.approx(polygon_area_m2(area), rel=0.005)
    inside = [p for p in points if contains(area, *p)]
    assert inside
    for lat, lon in inside:
        assert sum(contains(c, lat, lon) for c in cells) == 1, (lat, lon)
    for lat, lon in set(points) - set(inside):
        assert not any(contains(c, lat, lon) for c in cells)


def test_the_dongxi_rectangle_is_about_29_200_square_metres():
    assert polygon_area_m2(DONGXI) == pytest.approx(29_200, rel=0.01)


@pytest.mark.parametrize(
    ("cells", "count"),
    [
        (lambda: split_into(DONGXI, 5), 5),
        (lambda: split_rectangles(DONGXI, 2, 3), 6),
        (lambda: split_rectangles(DONGXI, 1, 1), 1),
        (lambda: split_rectangles(DONGXI, 7, 4), 28),
    ],
    ids=["into-5", "2x3", "1x1", "7x4"],
)
def test_rectangles_tile_dongxi_exactly(cells, count):
    got = cells()
    assert len(got) == count
    assert_tiles(DONGXI, got, sample_points(DONGXI_LAT, DONGXI_LON, 292, 100))
    for c in got:
        ring = c["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 5


@pytest.mark.parametrize(
    ("width", "height", "n", "shape"),
    [
        (292, 100, 5, (1, 5)),
        (292, 100, 6, (2, 3)),  # 97 m × 50 m beats 49 m × 100 m
        (100, 100, 4, (2, 2)),
        (300, 100, 12, (2, 6)),
        (100, 300, 12, (6, 2)),
        (100, 100, 7, (1, 7)),
        (100, 100, 1, (1, 1)),
    ],
)
def test_grid_shape_picks_cells_closest_to_square(width, height, n, shape):
    assert grid_shape(width, height, n) == shape


@settings(max_examples=60, deadline=None)
@given(
    lat=st.floats(min_value=18.2, max_value=53.5),
    lon=st.floats(min_value=73.5, max_value=134.8),
    width=st.floats(min_value=20, max_value=2_000),
    height=st.floats(min_value=20, max_value=2_000),
    rows=st.integers(min_value=1, max_value=6),
    cols=st.integers(min_value=1, max_value=6),
)
def test_any_rectangle_in_china_is_tiled_exactly(lat, lon, width, height, rows, cols):
    area = rectangle(lat, lon, width, height)
    cells = split_rectangles(area, rows, cols)
    assert len(cells) == rows * cols
    assert_tiles(area, cells, sample_points(lat, lon, width, height, steps=11))


def test_a_triangle_keeps_only_cells_centred_inside_it():
    south, west = offset_point(DONGXI_LAT, DONGXI_LON, -100, -100)
    north, east = offset_point(DONGXI_LAT, DONGXI_LON, 100, 100)
    triangle = {"type": "Polygon", "coordinates": [[[west, south], [east, south], [west, north], [west, south]]]}
    cells = split_rectangles(triangle, 4, 4)
    assert len(cells) == 6  # below the diagonal; cells on it have their centre exactly on it and stay out
    for c in cells:
        ring = c["coordinates"][0]
        assert contains(triangle, (ring[0][1] + ring[2][1]) / 2, (ring[0][0] + ring[2][0]) / 2)


@pytest.mark.parametrize("bad", [(0, 3), (2, 0), (-1, 1)])
def test_split_rectangles_refuses_empty_grids(bad):
    with pytest.raises(ValueError):
        split_rectangles(DONGXI, *bad)


def test_contains_respects_holes():
    outer = rectangle(DONGXI_LAT, DONGXI_LON, 200, 200)["coordinates"][0]
    hole = rectangle(DONGXI_LAT, DONGXI_LON, 50, 50)["coordinates"][0][::-1]
    donut = {"type": "Polygon", "coordinates": [outer, hole]}
    assert not contains(donut, DONGXI_LAT, DONGXI_LON)
    assert contains(donut, *offset_point(DONGXI_LAT, DONGXI_LON, 70, 0))
    assert not contains(donut, *offset_point(DONGXI_LAT, DONGXI_LON, 120, 0))
    assert polygon_area_m2(donut) == pytest.approx(200 * 200 - 50 * 50, rel=0.01)


@pytest.mark.parametrize("resolution", [10, 11, 12])
def test_hexagons_cover_dongxi_and_are_disjoint(resolution):
    cells = hexagon_cells(DONGXI, resolution)
    assert len(cells) == len(set(cells))
    assert {h3.get_resolution(c) for c in cells} == {resolution}
    # Same-resolution H3 cells never overlap; check pairs for shared children being impossible.
    for a, b in itertools.combinations(cells[:40], 2):
        assert not set(h3.cell_to_children(a, resolution + 1)) & set(h3.cell_to_children(b, resolution + 1))
    inside = [p for p in sample_points(DONGXI_LAT, DONGXI_LON, 292, 100) if contains(DONGXI, *p)]
    assert {h3.latlng_to_cell(lat, lon, resolution) for lat, lon in inside} <= set(cells)


def test_hexagon_polygons_are_closed_lon_lat_rings_with_the_cell_area():
    cells = hexagon_cells(DONGXI, 10)
    polygons = split_hexagons(DONGXI, 10)
    assert len(polygons) == len(cells)
    for cell, poly in zip(cells, polygons):
        ring = poly["coordinates"][0]
        assert poly["type"] == "Polygon" and ring[0] == ring[-1]
        lat, lon = h3.cell_to_latlng(cell)
        assert contains(poly, lat, lon)  # only true if [lon, lat] order is right
        assert polygon_area_m2(poly) == pytest.approx(h3.cell_area(cell, unit="m^2"), rel=0.01)


@pytest.mark.parametrize(
    ("area", "n", "resolution"),
    [(29_200, 5, 10), (105_000, 1, 9), (29_200, 1, 10), (29_200, 14, 11), (4.4e12, 1, 0)],
)
def test_resolution_for_picks_the_nearest_cell_size(area, n, resolution):
    assert resolution_for(area, n) == resolution


@pytest.mark.parametrize(("area", "n"), [(0, 5), (-1, 5), (math.nan, 5), (100, 0)])
def test_resolution_for_refuses_nonsense(area, n):
    with pytest.raises(ValueError):
        resolution_for(area, n)


def test_geojson_round_trip_keeps_chinese_names_and_coordinates():
    cells = split_into(DONGXI, 5)
    features = [Feature(name=f"东西巷{i}号网格", geometry=c, properties={"负责人": "李"}) for i, c in enumerate(cells)]
    text = write_feature_collection(features)
    assert "东西巷0号网格" in text  # readable, not \u escapes
    assert read_feature_collection(text) == features


@pytest.mark.parametrize(
    ("properties", "name"),
    [({"name": "正阳街"}, "正阳街"), ({"名称": "东西巷"}, "东西巷"), ({}, "网格1"), (None, "网格1"), ({"name": "  "}, "网格1")],
)
def test_names_come_from_name_or_名称_or_a_number(properties, name):
    doc = {"type": "Feature", "properties": properties, "geometry": DONGXI}
    assert read_feature_collection(json.dumps(doc))[0].name == name


def test_bare_polygons_and_multipolygons_are_accepted():
    multi = {"type": "MultiPolygon", "coordinates": [DONGXI["coordinates"]]}
    assert read_feature_collection(json.dumps(DONGXI))[0].geometry == DONGXI
    assert read_feature_collection(json.dumps(multi))[0].geometry == multi


def _collection(geometry: dict, count: int = 1) -> str:
    """A FeatureCollection of the same geometry repeated."""
    feature = {"type": "Feature", "properties": {}, "geometry": geometry}
    return json.dumps({"type": "FeatureCollection", "features": [feature] * count})


RING = DONGXI["coordinates"][0]
JUNK = [
    ("not json", "not json {", "geojson.invalid", None),
    ("a list", "[1, 2]", "geojson.invalid", None),
    ("a point", json.dumps({"type": "Point", "coordinates": [110.3, 25.3]}), "geojson.not_polygon", None),
    ("a point feature", _collection({"type": "Point", "coordinates": [110.3, 25.3]}), "geojson.not_polygon", 0),
    ("lon out of range", _collection({"type": "Polygon", "coordinates": [[[190.0, 25.0], *RING[1:-1], [190.0, 25.0]]]}), "geojson.out_of_range", 0),
    ("lat out of range", _collection({"type": "Polygon", "coordinates": [[[110.0, 95.0], *RING[1:-1], [110.0, 95.0]]]}), "geojson.out_of_range", 0),
    ("NaN", _collection({"type": "Polygon", "coordinates": [[[math.nan, 25.0], *RING[1:-1], [math.nan, 25.0]]]}), "geojson.out_of_range", 0),
    ("a string coordinate", _collection({"type": "Polygon", "coordinates": [[["110", 25.0], *RING[1:-1], ["110", 25.0]]]}), "geojson.invalid", 0),
    ("unclosed ring", _collection({"type": "Polygon", "coordinates": [RING[:-1] + [RING[1]]]}), "geojson.unclosed_ring", 0),
    ("too few points", _collection({"type": "Polygon", "coordinates": [RING[:3]]}), "geojson.invalid", 0),
    ("too many features", _collection(DONGXI, MAX_FEATURES * 2 + 1), "geojson.too_many", MAX_FEATURES),
]


@pytest.mark.parametrize(("text", "key", "index"), [j[1:] for j in JUNK], ids=[j[0] for j in JUNK])
def test_junk_geojson_is_refused_with_its_key(text, key, index):
    with pytest.raises(GeoJSONError) as caught:
        read_feature_collection(text)
    assert isinstance(caught.value, ValueError)
    assert (caught.value.key, caught.value.index) == (key, index)
    assert str(caught.value).startswith(key)


def test_the_bad_feature_is_named_by_its_index():
    good = {"type": "Feature", "properties": {}, "geometry": DONGXI}
    bad = {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": RING}}
    with pytest.raises(GeoJSONError, match=r"geojson.not_polygon \(feature 2\)"):
        read_feature_collection(json.dumps({"type": "FeatureCollection", "features": [good, good, bad]}))


def test_exactly_the_limit_is_accepted():
    assert len(read_feature_collection(_collection(DONGXI, MAX_FEATURES))) == MAX_FEATURES
