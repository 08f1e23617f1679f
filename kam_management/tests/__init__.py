from . import (
    test_access_rights,
    test_credit,
    test_key_account_access,
    test_key_account_demo,
    test_late_payers,
    test_price_cap,
    test_registration,
    test_settings,
    test_tier_review,
    test_translations,
)
