from . import kam_buyer_import, kam_unit_reserve
