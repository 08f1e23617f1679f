"""The declared access matrix of kam_management (issue 18, SEC1/SEC6): who may create, write each stored field of,
and delete the records of every model of the module, and the fields it adds to Odoo's models.

Read it as: for each model, ``create`` and ``unlink`` name the users who may do it, ``write`` maps a group of users
to the fields exactly those users may write; the group ``""`` is nobody (the server's fields: states, who did what,
totals, numbers, what a document was issued with). Every field is listed once; a model or field that is not here
fails ``test_every_model_and_field_is_declared``.

The users (``MATRIX_USERS``): one per department, each the person who works on the fixture's documents (the
key-account user manages the key account and the contract, the clerk runs the desk, ...), a plain internal user
without any key-account group, and ``other``: a user of a second company holding every key-account group there.
The fixture (``matrix_common.KamMatrixCommon``) is one record per model, in the state its flow leaves it: what is
locked in that state is refused to everyone, so the matrix states what holds for that record:

- ``create``: a second record with the fixture record's values (as ``copy_data`` gives them);
- ``write``: the field set to another valid value, alone;
- ``unlink``: the fixture record.

``test_the_matrix_holds_for_every_user`` tries every cell through the ORM, each in a savepoint rolled back;
``test_a_sample_of_the_matrix_holds_over_json_rpc`` tries a sample over ``/web/dataset/call_kw``.

Shared configuration without a company (bank statement formats, cadence rules, contact kinds, relation proof kinds,
score criteria, tiers and tier schemes of the module's data) is kept by the directors of every company: ``other`` may change it.

``KNOWN_OPEN``: cells where the matrix states the intended behaviour but the code does not do it yet, each with
"open: <why>" (and the branch that closes it, when one does); the tests skip them, and fail once the cell holds, so
that the entry is removed.
"""

KAM_GROUPS = (
    "kam_management.group_kam_user",
    "kam_management.group_kam_manager",
    "kam_management.group_kam_ticket_clerk",
    "kam_management.group_kam_sales",
    "kam_management.group_kam_finance",
    "kam_management.group_kam_finance_manager",
    "kam_management.group_kam_audit",
    "kam_management.group_kam_cost",
    "kam_management.group_kam_executive",
)

# row key: (groups, of the second company)
MATRIX_USERS = {
    "plain": (("base.group_user",), False),
    "user": (("kam_management.group_kam_user",), False),
    "manager": (("kam_management.group_kam_manager",), False),
    "clerk": (("kam_management.group_kam_ticket_clerk",), False),
    "sales": (("kam_management.group_kam_sales",), False),
    "finance": (("kam_management.group_kam_finance",), False),
    "finance_manager": (("kam_management.group_kam_finance_manager",), False),
    "audit": (("kam_management.group_kam_audit",), False),
    "cost": (("kam_management.group_kam_cost",), False),
    "executive": (("kam_management.group_kam_executive",), False),
    "other": (KAM_GROUPS, True),
}

MATRIX = {
    "account.bank.statement.line": {
        "create": "",
        "unlink": "",
        "write": {
            "": "kam_reconciliation_id",
        },
    },
    "account.journal": {
        "create": "",
        "unlink": "",
        "write": {
            "": "kam_is_joint kam_lock_date kam_statement_format_id",
        },
    },
    "account.move": {
        # the fixture's is a draft desk fee invoice: never deleted except by the desk's own code (AC6, issue 18)
        "create": "finance finance_manager",
        "unlink": "",
        "write": {
            "": "kam_amendment_id",
        },
    },
    "kam.account.registration": {
        "create": "",
        "unlink": "",
        "write": {
            "": "backup_user_id company_id partner_id reason state team_id territory user_id validation_status",
        },
    },
    "kam.bank.statement.format": {
        "create": "finance_manager other",
        "unlink": "finance_manager other",
        "write": {
            "finance_manager other": (
                "account_labels active amount_columns balance_columns company_id counterparty_account_columns "
                "counterparty_name_columns credit_columns date_columns date_formats debit_columns memo_columns "
                "name serial_columns"
            ),
        },
    },
    "kam.cadence.rule": {
        "create": "manager other",
        "unlink": "manager other",
        "write": {
            "": "kind_ids scheme_id",
            "manager other": "active contact_kind_id min_count name period responsible_role sequence tier_id",
        },
    },
    "kam.cadence.status": {
        "create": "",
        "unlink": "",
        "write": {
            "": "is_due last_contact_date next_due_date partner_id reminded_due_date rule_id user_id",
        },
    },
    "kam.collection.reminder": {
        "create": "",
        "unlink": "",
        "write": {
            "": "level_id reminder_date res_id res_model",
        },
    },
    "kam.collection.reminder.level": {
        "create": "finance_manager",
        "unlink": "finance_manager",
        "write": {
            "": "channel",
            "finance_manager": "active company_id days_offset mail_template_id name scope summary user_id",
        },
    },
    "kam.complaint": {
        "create": "manager user",
        "unlink": "",
        "write": {
            "": (
                "closed_at company_id confirmation_note confirmed_by_id escalated escalated_at escalated_to_id "
                "escalation_reason name partner_id received_at resolved_at responded_at response_deadline "
                "satisfaction satisfaction_score sla_breached sla_result state tier_id"
            ),
            "manager user": (
                "cancel_reason cause channel contact_id department_id description resolution responsibility "
                "responsibility_note severity task_force_business_id task_force_marketing_id "
                "task_force_service_id task_force_technical_id user_id"
            ),
        },
    },
    "kam.complaint.assignment": {
        "create": "manager user",
        "unlink": "manager user",
        "write": {
            "": "company_id complaint_id department_id",
            "manager user": "done due_date task user_id",
        },
    },
    "kam.complaint.concession": {
        "create": "manager user",
        "unlink": "manager",
        "write": {
            "": "company_id complaint_id partner_id state validation_status",
            "manager user": "amount reason",
        },
    },
    "kam.complaint.followup": {
        "create": "manager user",
        "unlink": "manager user",
        "write": {
            "": "company_id complaint_id",
            "manager user": "date note user_id",
        },
    },
    "kam.contact.kind": {
        "create": "",
        "unlink": "",
        "write": {
            "manager other": "active code name on_site sequence",
        },
    },
    "kam.contract.relation.term": {
        # terms of a contract in negotiation: its key-account staff list them; they change only while it does
        "create": "manager user",
        "unlink": "manager user",
        "write": {
            "": "company_id contract_id",
            "manager user": "price_policy proof_kind_ids relation",
        },
    },
    "kam.credit.exception": {
        "create": "finance_manager manager user",
        "unlink": "finance_manager",
        "write": {
            "": "company_id name state validation_status",
            "finance_manager manager": "partner_id",
            "finance_manager manager user": "amount date_from date_to reason sale_order_id",
        },
    },
    "kam.department": {
        "create": "",
        "unlink": "",
        "write": {
            "manager": "active company_id manager_id member_ids name",
        },
    },
    "kam.discount.approval": {
        "create": "",
        "unlink": "manager",
        "write": {
            "": "cap company_id partner_id sale_order_id state tier_id validation_status",
            "manager user": "discount reason",
        },
    },
    "kam.financing.report": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "allocated_amount allocation_count collected_amount company_id currency_id date_from date_to "
                "period_type project_id quarter remaining_amount target_amount target_id year"
            ),
        },
    },
    "kam.financing.target": {
        "create": "",
        "unlink": "finance_manager",
        "write": {
            "": "company_id date_from date_to name period_type quarter",
            "finance_manager": "amount note project_id year",
        },
    },
    "kam.housing.building": {
        "create": "",
        "unlink": "",
        "write": {
            "": "company_id project_id",
            "manager": "floor_count name sequence",
        },
    },
    "kam.housing.buyer": {
        "create": "",
        "unlink": "",
        "write": {
            "": "company_id contract_id employee_name employee_proof id_number name phone relation sequence",
        },
    },
    "kam.housing.contract": {
        "create": "manager user",
        "unlink": "",
        "write": {
            "": (
                "approved_pricing_id buyer_audit_date buyer_audit_user_id buyer_finance_date "
                "buyer_finance_user_id buyer_lawyer_date buyer_lawyer_recorded_by_id buyers_verified company_id "
                "contract_date employer_account_id full_payment_discount_percent fund_use_date intent_date "
                "joint_account_number joint_bank_id joint_journal_id mortgage_conversion_fee name partner_id "
                "payment_deadline payment_ratio project_id rename_fee_percent rename_policy rename_relations "
                "round sales_cutoff_date selection_deadline state transfer_term_days"
            ),
            "manager user": "buyer_lawyer_id note team_leader_id team_member_ids user_id",
        },
    },
    "kam.housing.market.price": {
        # finance records a price; a new price is a new record, never an edit (every fee shows what it was priced on)
        "create": "finance finance_manager",
        "unlink": "",
        "write": {
            "": "company_id date note price_per_m2 project_id reference_project_id",
        },
    },
    "kam.housing.pricing": {
        "create": "",
        "unlink": "manager",
        "write": {
            "": "approved_date company_id name project_id state swap_concession validation_status",
            "cost executive finance_manager": "cost_uncertainty unit_cost",
            "executive finance_manager manager user": (
                "analysis average_price basis contract_id customer_risk floor_step loan_rate "
                "market_reference_price payment_ratio peer_group_price reference_floor retail_reference_price "
                "swap_assessed_value"
            ),
        },
    },
    "kam.housing.pricing.layout": {
        "create": "",
        "unlink": "manager user",
        "write": {
            "": "company_id pricing_id",
            "manager user": "delta layout",
        },
    },
    "kam.housing.project": {
        "create": "",
        "unlink": "",
        "write": {
            "manager": "active address code company_id name sequence stage",
        },
    },
    "kam.housing.prospect": {
        "create": "",
        "unlink": "",
        "write": {
            "": "company_id state",
            "manager": (
                "expected_buyers first_contact_result housing_situation income_level mode_acceptance "
                "owner_occupier_ratio partner_id past_purchases payment_ratio price_max price_min project_id "
                "resource_swap round strengths user_id weaknesses"
            ),
        },
    },
    "kam.housing.receipt": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "amount buyer_id company_id contract_id copy_collected_by_id copy_collected_date "
                "copy_received_by_id copy_received_date date employer_id kind name note registered_by_id "
                "registered_date relation_request_id state voided_by_id voided_date"
            ),
            "finance finance_manager manager user": "void_reason",
        },
    },
    "kam.housing.receipt.ledger": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "ageing arrears buyer_id company_id contract_id currency_id days_overdue deposit_received due "
                "last_receipt_date not_transferred outstanding partner_id payer_name payment_deadline "
                "receipt_count received relation_request_id ticket_returned transferred user_id"
            ),
        },
    },
    "kam.housing.unit": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "area building_id company_id contract_id current_holding_id floor layout name number project_id "
                "state"
            ),
            "cost": "cost_price",
            "manager": "list_price",
        },
    },
    "kam.joint.allocation": {
        "create": "",
        "unlink": "finance finance_manager",
        "write": {
            "": "allocated_by_id allocated_date amount method receipt_id reconciliation_id statement_line_id",
        },
    },
    "kam.joint.balance.snapshot": {
        "create": "finance finance_manager",
        "unlink": "",
        "write": {
            "": "balance company_id contract_id date recorded_by_id reference source",
            "finance finance_manager": "note",
        },
    },
    "kam.joint.discrepancy": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "amount company_id detail kind legacy_description receipt_id reconciliation_id resolved_by_id "
                "resolved_date state statement_line_id"
            ),
            "finance finance_manager": "resolution_note",
        },
    },
    "kam.joint.import.line": {
        "create": "",
        "unlink": "",
        "write": {
            "": "log_id sequence unique_import_id vals",
        },
    },
    "kam.joint.import.log": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "attachment_id company_id created_count date file_name file_sha256 journal_id line_count "
                "skipped_count state statement_id statement_vals user_id"
            ),
        },
    },
    "kam.joint.reconciliation": {
        "create": "",
        "unlink": "finance finance_manager",
        "write": {
            "": (
                "booking_state company_id employer_balance employer_transfer_total match_state "
                "matched_by_id matched_date matched_inputs name period_receipt_total period_transfer_total prepared_by_id prepared_date receipt_total "
                "report_attachment_id report_sha256 signed_by_id signed_date snapshot_id state transfer_total"
            ),
            # the period and contract of a reconciliation not signed: a change clears its matching
            "finance finance_manager": "contract_id date_from date_to note",
        },
    },
    "kam.negotiation.memo": {
        "create": "manager user",
        "unlink": "manager",
        "write": {
            "": "ack_state committed_price company_id",
            "manager user": "body contract_id date subject",
        },
    },
    "kam.negotiation.memo.ack": {
        "create": "",
        "unlink": "manager",
        "write": {
            "": "company_id date memo_id user_id",
        },
    },
    "kam.partner.rating": {
        "create": "",
        "unlink": "manager user",
        "write": {
            "manager user": "company_id criterion_id note partner_id rating",
        },
    },
    "kam.payment.downgrade": {
        "create": "",
        "unlink": "",
        "write": {
            "": "company_id from_tier_id late_count partner_id quarter state to_tier_id validation_status",
            "finance_manager manager user": "restore_reason",
        },
    },
    "kam.gapless.number": {
        # a gapless number is taken only by issuing its document, under sudo (issue 18 hole 1, issue 22)
        "create": "",
        "unlink": "",
        "write": {
            "": "company_id date number res_id series",
        },
    },
    "kam.public.holiday": {
        # the State Council's list ships as data, one file per year: the system administrator adds a year
        "create": "",
        "unlink": "",
        "write": {
            "": "date_from date_to kind name year",
        },
    },
    "kam.relation.proof.kind": {
        # shared configuration without a company, kept by the directors (archived, never deleted)
        "create": "manager other",
        "unlink": "",
        "write": {
            "manager other": "active name sequence",
        },
    },
    "kam.relation.request": {
        "create": "",
        "unlink": "manager",
        "write": {
            "": (
                "cancel_date company_id department_id documentation_deadline documented_date "
                "emergency_approver_id emergency_date final_average_price name payment_date requester_id state "
                "validation_status"
            ),
            "executive finance_manager manager": (
                "average_price buyer_id_number buyer_name late_increase_percent payment_deadline payment_ratio "
                "project_id reason unit_ids"
            ),
        },
    },
    "kam.room.ticket": {
        "create": "clerk",
        "unlink": "",
        "write": {
            "": (
                "amount_due amount_gross amount_total area basis buyer_id buyer_name cancel_reason collected_date "
                "company_id contract_id deposit_amount discount_amount discount_percent draw_line_id "
                "full_payment_discount holding_id id_number issue_date issued_by_id name note payment_ratio "
                "price_per_m2 relation_request_id replaced_by_id return_copy return_copy_name return_date "
                "return_reason return_requested_by_id return_requested_date returned_by_id review_date "
                "reviewed_by_id signed_copy state ticket_returned unit_id"
            ),
            "clerk": "signed_copy_name",
        },
    },
    "kam.room.voucher": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "amount amount_total automatic buyer_name company_id contract_id is_red issue_date name "
                "payment_ratio prepared_by_id recovered_copy recovered_copy_name reversal_id reversal_reason "
                "reversed_voucher_id reviewed_by_id state ticket_id unit_id"
            ),
        },
    },
    "kam.score.criterion": {
        "create": "",
        "unlink": "manager other",
        "write": {
            "": "active scheme_id weight",
            "manager other": "code full_at method name sequence zero_at",
        },
    },
    "kam.selection.annex": {
        "create": "manager user",
        "unlink": "manager user",
        "write": {
            "": "check_date checked_by_id company_id differences seal_date sealed_by_id state",
            "manager user": "contract_id list_file list_file_name name stamped_scan stamped_scan_name",
        },
    },
    "kam.selection.draw": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "commitment company_id contract_id drawn_by_id drawn_date frozen_by_id frozen_date method "
                "notary_file notary_filename notary_reference previous_draw_id redraw_reason seed seed_entered_by_id "
                "seed_entered_date state"
            ),
        },
    },
    "kam.selection.draw.line": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "buyer_id called_by_id called_date company_id contract_id draw_id id_check_result "
                "id_checked_by_id id_checked_date position"
            ),
        },
    },
    "kam.ticket.amendment": {
        "create": "clerk",
        "unlink": "clerk",
        "write": {
            "": (
                "applied_by_id company_id contract_id fee_amount invoice_id market_price_id new_voucher_id "
                "old_voucher_id reference_price_per_m2 reference_project_id refund_date refund_id refund_reason "
                "refunded_by_id state ticket_id"
            ),
            "clerk": (
                "kind new_buyer_name new_id_number new_ratio proof proof_kind_id proof_name recovered_copy "
                "recovered_copy_name relation"
            ),
        },
    },
    "kam.tier": {
        "create": "",
        "unlink": "manager other",
        "write": {
            "": "distribution_percent scheme_id",
            "manager other": (
                "code color credit_grade credit_limit currency_id kam_complaint_task_force lead_time_days "
                "maintenance_budget markup_percent max_discount max_value min_value name payment_term_id "
                "profile_refresh_months response_sla_hours rush_orders_allowed sequence visit_cadence_days"
            ),
        },
    },
    "kam.tier.history": {
        "create": "",
        "unlink": "",
        "write": {
            "": "avg_days_late company_id date movement old_tier_id partner_id revenue review_id score tier_id",
        },
    },
    "kam.tier.review": {
        "create": "manager",
        "unlink": "manager",
        "write": {
            "": (
                "applied_count apply_state approved_at company_id company_revenue computed_at "
                "kept_downgrade_count name state validation_status"
            ),
            "manager": "date_from date_to scheme_id",
        },
    },
    "kam.tier.review.line": {
        "create": "",
        "unlink": "manager",
        "write": {
            "": (
                "applied avg_days_late company_id current_tier_id invoice_count late_count manager_id "
                "margin_percent movement partner_id purchases rank revenue revenue_share review_id score"
            ),
            "manager": "note proposed_tier_id",
        },
    },
    "kam.tier.scheme": {
        "create": "",
        "unlink": "",
        "write": {
            "": "method",
            "manager other": "active basis description name sequence",
        },
    },
    "kam.unit.allocation": {
        "create": "manager user",
        "unlink": "manager",
        "write": {
            "": (
                "amount_total area_total company_id financing_target_id is_addition name project_id state "
                "unit_count validation_status"
            ),
            "executive finance_manager manager user": "contract_id date note",
        },
    },
    "kam.unit.allocation.line": {
        "create": "",
        "unlink": "manager user",
        "write": {
            "": "allocation_date allocation_id amount area company_id contract_id price_per_m2",
            "manager user": "unit_id",
        },
    },
    "kam.unit.holding": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "allocation_id channel company_id contract_id date_released date_start holder_name project_id "
                "relation_request_id released_by_id state ticket_id unit_id"
            ),
        },
    },
    "kam.visit": {
        "create": "manager user",
        "unlink": "manager user",
        "write": {
            "manager": "partner_id",
            "manager user": (
                "attachment_ids company_id competitor_activity customer_participant_ids date demand kind_id name "
                "our_participant_ids personnel_changes problems topics user_id"
            ),
        },
    },
    "res.company": {
        "create": "",
        "unlink": "",
        "write": {
            "": (
                "kam_blind_price_min_ratio kam_complaint_leader_id kam_complaint_sla_basis kam_cost_plus_min_factor "
                "kam_deadline_lead_days kam_fee_journal_id kam_general_manager_id "
                "kam_joint_account_liability_account_id kam_min_payment_ratio kam_min_screened_candidates "
                "kam_mortgage_fee_product_id kam_no_contact_days kam_rename_fee_product_id kam_report_day "
                "kam_report_last_month kam_swap_concession_max_ratio kam_tier_scheme_id"
            ),
        },
    },
    "res.partner": {
        "create": "clerk manager other user",
        "unlink": "",
        "write": {
            "": "kam_last_contact_date kam_no_contact kam_payment_tier_id",
            "manager other": (
                "kam_backup_manager_id kam_credit_grade kam_executive_user_id kam_manager_id kam_quality_user_id "
                "kam_registration_id kam_registration_state kam_score kam_technical_user_id kam_tier_id"
            ),
            "manager other user": "kam_customer_quality_id kam_customer_technical_id kam_team_id kam_territory",
        },
    },
    "resource.calendar": {
        "create": "",
        "unlink": "",
        "write": {
            "": "kam_cn_public_holidays",
        },
    },
    "resource.calendar.leaves": {
        # a public holiday's leave follows the list (kam.public.holiday), kept in step by the server
        "create": "",
        "unlink": "",
        "write": {
            "": "kam_public_holiday_id",
        },
    },
    "tier.review": {
        "create": "",
        "unlink": "",
        "write": {
            "": "kam_model",
        },
    },
}

KNOWN_OPEN = {
    # none: desk18 (the cost department writes only cost fields; a memo acknowledgement is its person's own act) and
    # money18 (reminder levels kept to their company; the reconciliation XLSX checks its reader) closed the last
    # ones. An entry is a cell, e.g. ("write", model, field, user key) or ("report", report name, kind, user key),
    # mapped to "open: <why>" until the branch that closes it is merged
}

# ----------------------------------------------------------------------------------------------------------------
# Public methods (test_public_methods): what any client may call over RPC
# ----------------------------------------------------------------------------------------------------------------
# The ORM's own entry points, overridden by the module: the access matrix above checks them field by field.
ORM_METHODS = {"create", "write", "unlink", "copy"}
# Declared read-only: called as audit, a plain user and the second company's user, they change nothing.
METHODS_READ_ONLY = {
    "kam.complaint.action_close": "opens the customer's confirmation; its wizard's action_confirm closes",
    "kam.housing.unit.action_kam_reserve_retail": "opens the reservation wizard; its action_confirm reserves",
    "kam.joint.reconciliation.action_download_report": "returns the print action; the /report/ route checks the reader",
    "kam.service.report.action_print_monthly": "the caller's own wizard: its company's report, read as the caller",
    "kam.service.report.action_print_credit": "the caller's own wizard: its company's report, read as the caller",
}
# Allowed without a refusal of the plain and the second company's user, each with its reason.
METHODS_ALLOWED = {
    "report.kam_management.joint_reconciliation_xlsx.generate_xlsx_report": "needs an xlsxwriter workbook, which no "
    "client can send; the /report/xlsx/ route is attacked by test_every_report_refuses_who_cannot_read_its_records",
    "report.kam_management.sales_control_xlsx.generate_xlsx_report": "as above: called by the report route only",
    "report.kam_management.monthly_xlsx.generate_xlsx_report": "as above: called by the report route only",
    "report.kam_management.credit_xlsx.generate_xlsx_report": "as above: called by the report route only",
    "report.report_xlsx.abstract.create_xlsx_report": "renders a report of records; for the module's reports it "
    "checks first that the caller reads them (report_xlsx_abstract.py): attacked through the /report/xlsx/ route by "
    "test_every_report_refuses_who_cannot_read_its_records; report_xlsx's own sample report shows partners",
    "report.kam_management.joint_reconciliation_xlsx.create_xlsx_report": "checks that the caller reads the "
    "reconciliations before it returns the kept file: attacked through its /report/xlsx/ route as above",
}

# ----------------------------------------------------------------------------------------------------------------
# HTTP routes of the module's own controllers: {"module.Class.method": url(test) of an attack on a first-company
# record}; test_every_route_of_the_module_is_declared_and_refused fails on an undeclared one. None today: the
# module's prints go through Odoo's /report/ routes (test_every_report_refuses_who_cannot_read_its_records); the
# module only extends Odoo's /report/download (controllers/report.py: read-only for the monthly and credit reports
# printed from their options), attacked by test_read_replica.TestReportDownloadOnReplica.
# ----------------------------------------------------------------------------------------------------------------
ROUTES = {}
