from . import res_company, res_config_settings

# isort: split
# commissioned housing (HS1–HS9, HS16)
from . import (
    kam_department,
    kam_financing_target,
    kam_housing_building,
    kam_housing_buyer,
    kam_housing_contract,
    kam_housing_pricing,
    kam_housing_pricing_layout,
    kam_housing_project,
    kam_housing_prospect,
    kam_housing_unit,
    kam_negotiation_memo,
    kam_negotiation_memo_ack,
    kam_relation_request,
    kam_unit_allocation,
    kam_unit_allocation_line,
    kam_unit_holding,
    tier_definition,
)
