# isort: off
# the mixins are inherited by the models below: they are imported first
from . import kam_lifecycle_mixin, kam_approval_mixin
# isort: on
from . import (
    account_move,
    account_partial_reconcile,
    kam_account_registration,
    kam_approval_messages,
    kam_credit_exception,
    kam_department,
    kam_discount_approval,
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
    kam_partner_rating,
    kam_payment_downgrade,
    kam_relation_request,
    kam_score_criterion,
    kam_tier,
    kam_tier_history,
    kam_tier_review,
    kam_tier_review_line,
    kam_tier_scheme,
    kam_unit_allocation,
    kam_unit_allocation_line,
    kam_unit_holding,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    tier_definition,
    tier_review,
)

# isort: off
# SQL views over the tables of the models above: their init() runs after those tables exist
from . import kam_financing_report
# isort: on
