from . import kam_joint_reconciliation_xlsx, kam_sales_control_xlsx
