"""Places: pasted coordinates, GeoJSON imports, checkpoint posters."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "coords.not_a_number": ("坐标必须是数字。", "Coordinates must be numbers."),
    "coords.not_finite": ("坐标不能是无穷大或空值。", "Coordinates must be finite numbers."),
    "coords.out_of_range": ("坐标超出范围:纬度 −90~90,经度 −180~180。",
                            "Coordinates out of range: latitude −90 to 90, longitude −180 to 180."),
    "coords.unknown_datum": ("未知的坐标系,请选 WGS-84、GCJ-02 或 BD-09。",
                             "Unknown datum: choose WGS-84, GCJ-02 or BD-09."),
    "coords.unparseable": ("看不懂这个坐标,请粘贴“纬度, 经度”两个数字,例如 25.2847, 110.2965。",
                           "That is not a coordinate pair: paste two numbers, latitude, longitude, e.g. 25.2847, 110.2965."),
    "coords.outside_china": ("这个坐标不在中国境内,请检查是否粘贴正确。",
                             "That point is not in China; check what was pasted."),
    "geojson.invalid": ("不是有效的 GeoJSON 文件。", "Not a valid GeoJSON file."),
    "geojson.not_polygon": ("只能导入面(Polygon 或 MultiPolygon)。", "Only areas (Polygon or MultiPolygon) can be imported."),
    "geojson.out_of_range": ("GeoJSON 中有超出范围或无效的坐标。", "The GeoJSON holds coordinates out of range or invalid."),
    "geojson.too_many": ("要素太多,一次最多导入 5000 个。", "Too many features: at most 5,000 at a time."),
    "geojson.unclosed_ring": ("多边形没有闭合(首尾坐标不同)。", "A polygon ring is not closed (first and last points differ)."),
}
