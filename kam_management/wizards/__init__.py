from . import kam_buyer_import
from . import kam_unit_reserve
