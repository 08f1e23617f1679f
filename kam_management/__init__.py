# Odoo imports this package as odoo.addons.kam_management; pytest imports it as
# plain kam_management to test rules/ without Odoo, so only then the ORM layers stay out.
from . import rules

if __name__.startswith("odoo.addons."):
    from . import controllers, models, report, wizards
