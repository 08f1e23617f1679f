# isort: off
# the approval mixin is inherited by the models below: it is imported first
from . import kam_approval_mixin
# isort: on
from . import (
    account_move,
    kam_account_registration,
    kam_credit_exception,
    kam_discount_approval,
    kam_partner_rating,
    kam_payment_downgrade,
    kam_score_criterion,
    kam_tier,
    kam_tier_history,
    kam_tier_review,
    kam_tier_review_line,
    kam_tier_scheme,
    res_company,
    res_config_settings,
    res_partner,
    sale_order,
    tier_definition,
)
