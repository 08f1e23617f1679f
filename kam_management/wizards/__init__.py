from . import kam_buyer_import, kam_desk_id_check, kam_room_ticket_change, kam_unit_reserve
