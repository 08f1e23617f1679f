from . import (
    kam_joint_reconciliation_xlsx,
    kam_sales_control_xlsx,
    kam_service_report_xlsx,
    report_xlsx_abstract,
)
