from . import (
    test_access_rights,
    test_housing_access,
    test_housing_allocation,
    test_housing_buyers,
    test_housing_contract,
    test_housing_pricing,
    test_relation_request,
    test_sales_control,
    test_settings,
    test_translations,
)
