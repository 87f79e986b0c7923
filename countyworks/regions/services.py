"""Administrative divisions from the GB/T 2260 list shipped by the `gb2260` package."""

from __future__ import annotations

from django.db import transaction

from countyworks.regions.models import Region, RegionLevel

# Placeholder rows of the national list that are not divisions of their own.
_PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _gb2260_table() -> dict[str, str]:
    from gb2260.data import data

    return {f"{code:06d}": name for code, name in data[None].items() if name not in _PLACEHOLDER_NAMES}


def _level_and_parent(code: str, table: dict[str, str]) -> tuple[str, str | None]:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE, None
    province = code[:2] + "0000"
    if code.endswith("00"):
        return RegionLevel.CITY, province
    city = code[:4] + "00"
    # Counties directly under a province (省直辖县) or a municipality have no city row.
    return RegionLevel.COUNTY, city if city in table else province


@transaction.atomic
def load_divisions(prefix: str = "") -> int:
    """Create or update every province, city and county whose code starts with `prefix`.

    Returns how many regions were created. Running it again creates nothing.
    """
    table = _gb2260_table()
    codes = sorted(c for c in table if c.startswith(prefix))
    existing = {r.code: r for r in Region.objects.filter(code__in=codes)}
    created = 0
    # Sorted codes put every province before its cities and every city before its counties.
    for code in codes:
        level, parent_code = _level_and_parent(code, table)
        parent = existing.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            parent = ensure_region(parent_code)
            existing[parent_code] = parent
        region = existing.get(code)
        if region is None:
            existing[code] = Region.objects.create(code=code, name=table[code], level=level, parent=parent)
            created += 1
        elif (region.name, region.level, region.parent_id) != (
            table[code],
            level,
            getattr(parent, "pk", None),
        ):
            region.name, region.level, region.parent = table[code], level, parent
            region.save()
    return created


def ensure_region(code: str) -> Region:
    """The region with this GB/T 2260 code, created with its ancestors if missing."""
    found = Region.objects.filter(code=code).first()
    if found:
        return found
    table = _gb2260_table()
    if code not in table:
        raise ValueError(f"{code} is not a GB/T 2260 division code")
    level, parent_code = _level_and_parent(code, table)
    parent = ensure_region(parent_code) if parent_code else None
    return Region.objects.create(code=code, name=table[code], level=level, parent=parent)
