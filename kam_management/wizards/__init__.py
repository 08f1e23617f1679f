from . import (
    kam_buyer_import,
    kam_complaint_close_wizard,
    kam_desk_id_check,
    kam_draw_seed,
    kam_fee_refund,
    kam_handover_wizard,
    kam_room_ticket_change,
    kam_unit_reserve,
)
