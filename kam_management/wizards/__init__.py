from . import kam_buyer_import
