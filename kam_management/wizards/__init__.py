from . import kam_buyer_import, kam_complaint_close_wizard, kam_handover_wizard
