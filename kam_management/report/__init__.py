from . import kam_sales_control_xlsx, kam_service_report_xlsx
