from odoo import models
from odoo.exceptions import AccessError

from .kam_housing_unit import SALES_CONTROL_CHANNEL

CLIENT_PREFIX = SALES_CONTROL_CHANNEL + ":"


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        if self.env.uid and not self.env.user._is_public():
            channels = list(channels) + self._kam_sales_control_channels(channels)
        return super()._build_bus_channel_list(channels)

    def _kam_sales_control_channels(self, channels):
        """The sales control grid asks for ``kam_sales_control:<project id>``; it gets the project's channel (a
        record's, which no client string names) only when its user may read the project and its units."""
        requested = {
            int(channel[len(CLIENT_PREFIX):])
            for channel in channels
            if isinstance(channel, str) and channel.startswith(CLIENT_PREFIX) and channel[len(CLIENT_PREFIX):].isdigit()
        }
        granted = []
        for project in self.env["kam.housing.project"].browse(sorted(requested)).exists():
            try:
                project.check_access("read")
                self.env["kam.housing.unit"].check_access("read")
            except AccessError:
                continue
            granted.append((project, SALES_CONTROL_CHANNEL))
        return granted
