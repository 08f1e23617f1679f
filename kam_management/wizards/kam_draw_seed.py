from odoo import fields, models


class KamDrawSeed(models.TransientModel):
    """Audit enters the public seed of a frozen draw (issue 18): someone other than the desk, final once entered."""

    _name = "kam.draw.seed"
    _description = "Enter the Public Seed of a Draw"
    _rec_name = "draw_id"

    draw_id = fields.Many2one("kam.selection.draw", required=True, ondelete="cascade", string="Draw")
    commitment = fields.Char(related="draw_id.commitment")
    seed = fields.Char(string="Public Seed", required=True, help="As published: the lottery result, the "
                       "representatives' digits or the notary's record. Final once entered.")

    def action_enter(self):
        self.ensure_one()
        self.draw_id.action_enter_seed(self.seed)
        return {"type": "ir.actions.act_window_close"}
