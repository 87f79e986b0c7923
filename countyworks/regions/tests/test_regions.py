from countyworks.regions.models import Region, RegionLevel
from countyworks.regions.services import ensure_region, load_divisions


def test_huguan_sits_under_changzhi_under_shanxi(db):
    huguan = ensure_region("140427")
    assert (huguan.name, huguan.level) == ("壶关县", RegionLevel.COUNTY)
    assert (huguan.parent.code, huguan.parent.name) == ("140400", "长治市")
    assert (huguan.parent.parent.code, huguan.parent.parent.name) == ("140000", "山西省")
    assert huguan.full_name == "山西省长治市壶关县"


def test_loading_a_province_is_idempotent(db):
    created = load_divisions("14")
    assert created > 100
    assert Region.objects.filter(code__startswith="14", level=RegionLevel.CITY).count() == 11
    assert load_divisions("14") == 0
