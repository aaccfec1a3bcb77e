"""Places: distances agree with the ellipsoid, cells are stable, rectangles have their size, bad points are refused."""
from __future__ import annotations

import math

import h3
import pytest
from geopy.distance import geodesic
from hypothesis import given
from hypothesis import strategies as st

from nightwatch.geo import H3_RESOLUTION, cell_of, haversine_m, is_valid_point, offset_point, rectangle

# Mainland China and Hainan, south to north and west to east.
china_lat = st.floats(min_value=18.2, max_value=53.5)
china_lon = st.floats(min_value=73.5, max_value=134.8)
# City scale: the far side of a big city is some 30 km away.
city_offset_m = st.floats(min_value=-30_000, max_value=30_000)


@given(china_lat, china_lon, city_offset_m, city_offset_m)
def test_haversine_is_within_half_a_percent_of_the_geodesic_across_a_city(lat, lon, north_m, east_m):
    other = offset_point(lat, lon, north_m, east_m)
    expected = geodesic((lat, lon), other).meters
    # The sphere is furthest from the ellipsoid north-south near the equator: ~0.46 % at Hainan.
    assert haversine_m(lat, lon, *other) == pytest.approx(expected, rel=0.005, abs=1e-6)


@pytest.mark.parametrize(
    ("a", "b", "metres"),
    [
        pytest.param((25.2795, 110.2952), (25.2795, 110.2952), 0, id="same-point"),
        pytest.param((31.2304, 121.4737), (39.9087, 116.3975), 1_067_000, id="shanghai-beijing"),
        pytest.param((0.0, 0.0), (0.0, 180.0), math.pi * 6_371_008.8, id="half-the-equator"),
    ],
)
def test_haversine_of_known_pairs(a, b, metres):
    assert haversine_m(*a, *b) == pytest.approx(metres, rel=0.005, abs=1e-6)


@pytest.mark.parametrize(
    ("lat", "lon", "cell"),
    [
        pytest.param(25.2795, 110.2952, "89402221b83ffff", id="guilin"),
        pytest.param(31.2304, 121.4737, "89309959d73ffff", id="shanghai"),
        pytest.param(39.9087, 116.3975, "8931aa42803ffff", id="beijing"),
    ],
)
def test_a_known_place_keeps_its_cell(lat, lon, cell):
    # Stored rows carry these strings: a new H3 version or resolution must not silently move them.
    assert cell_of(lat, lon) == cell


@given(china_lat, china_lon)
def test_a_point_lies_in_a_cell_of_the_stored_resolution_a_few_shopfronts_wide(lat, lon):
    cell = cell_of(lat, lon)
    assert h3.is_valid_cell(cell)
    assert h3.get_resolution(cell) == H3_RESOLUTION
    assert cell_of(lat, lon) == cell
    centre = h3.cell_to_latlng(cell)
    assert cell_of(*centre) == cell
    # A resolution-9 hexagon reaches at most ~220 m from its centre in China.
    assert haversine_m(lat, lon, *centre) < 250


def edge_m(a: list[float], b: list[float]) -> float:
    """Geodesic length between two GeoJSON [lon, lat] positions."""
    return geodesic((a[1], a[0]), (b[1], b[0])).meters


@given(china_lat, china_lon, st.floats(min_value=10, max_value=5_000), st.floats(min_value=10, max_value=5_000))
def test_a_rectangle_has_the_size_asked_for(lat, lon, width_m, height_m):
    polygon = rectangle(lat, lon, width_m, height_m)
    assert polygon["type"] == "Polygon"
    ring = polygon["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    south_west, south_east, north_east, north_west = ring[:4]
    # GeoJSON is [lon, lat]: the centre of the ring is the point asked for, not its mirror image.
    assert (south_west[0] + north_east[0]) / 2 == pytest.approx(lon)
    assert (south_west[1] + north_east[1]) / 2 == pytest.approx(lat)
    width = (edge_m(south_west, south_east) + edge_m(north_west, north_east)) / 2
    height = (edge_m(south_west, north_west) + edge_m(south_east, north_east)) / 2
    # offset_point uses a mean degree of latitude, which is ~0.6 % long at 18° N.
    assert width == pytest.approx(width_m, rel=0.01)
    assert height == pytest.approx(height_m, rel=0.01)
    assert width * height == pytest.approx(width_m * height_m, rel=0.01)


@pytest.mark.parametrize(
    ("lat", "lon", "valid"),
    [
        pytest.param(25.2795, 110.2952, True, id="guilin"),
        pytest.param(0, 0, True, id="null-island-integers"),
        pytest.param(90.0, 180.0, True, id="north-pole-date-line"),
        pytest.param(-90.0, -180.0, True, id="south-pole-date-line"),
        pytest.param(math.nan, 110.0, False, id="nan-lat"),
        pytest.param(25.0, math.nan, False, id="nan-lon"),
        pytest.param(math.inf, 110.0, False, id="inf-lat"),
        pytest.param(25.0, -math.inf, False, id="minus-inf-lon"),
        pytest.param(90.000001, 110.0, False, id="lat-past-the-pole"),
        pytest.param(-91.0, 110.0, False, id="lat-below-the-pole"),
        pytest.param(25.0, 180.5, False, id="lon-past-the-date-line"),
        pytest.param(25.0, -181.0, False, id="lon-before-the-date-line"),
        pytest.param(110.2952, 25.2795, False, id="lon-lat-swapped"),
        pytest.param("25.2", "110.3", False, id="strings"),
        pytest.param(None, None, False, id="missing"),
    ],
)
def test_only_finite_in_range_points_are_valid(lat, lon, valid):
    assert is_valid_point(lat, lon) is valid
