from . import kam_sales_control_xlsx
