"""Mend the preset approval chains of databases installed before 19.0.0.1.1.

Their presets are ``noupdate`` data, so an upgrade does not rewrite them: they kept the installing company
(the chains never applied to a second company) and an empty ``model`` (they never applied at all). Only presets
nobody has edited since the install lose their company: a company that restricted one on purpose keeps it.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE tier_definition d
           SET company_id = NULL
          FROM ir_model_data x
         WHERE x.model = 'tier.definition' AND x.module = 'kam_management' AND x.res_id = d.id
           AND d.company_id IS NOT NULL AND d.write_date = d.create_date
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["tier.definition"]._kam_fill_preset_models()
