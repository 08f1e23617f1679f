from . import test_access_rights, test_settings, test_translations

# isort: split
# commissioned housing (HS1–HS9, HS16)
from . import (
    test_housing_access,
    test_housing_allocation,
    test_housing_buyers,
    test_housing_contract,
    test_housing_pricing,
    test_relation_request,
    test_sales_control,
)
