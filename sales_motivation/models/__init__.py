from . import motivation_cache_mixin
from . import motivation_checkpoint_mixin
from . import motivation_interaction_mixin

# crm.lead: the ORM entry points, then one file per concern (no two of
# them override the same method: their order changes nothing)
from . import crm_lead
from . import crm_lead_access
from . import crm_lead_achievement
from . import crm_lead_checkpoint
from . import crm_lead_commission
from . import crm_lead_duplicate
from . import crm_lead_interaction
from . import crm_lead_interaction_email
from . import crm_lead_lost_check
from . import crm_lead_personal_data
from . import crm_lead_pool
from . import crm_lead_quality
from . import crm_lead_registrar
from . import crm_lead_registration
from . import crm_lead_response
from . import crm_team
from . import crm_team_response
from . import crm_team_member
from . import ir_attachment
from . import ir_cron
from . import ir_rule
from . import motivation_achievement
from . import motivation_achievement_source
from . import motivation_achievement_bonus
from . import motivation_achievement_clients
from . import mail_activity
from . import mail_activity_type
from . import motivation_checkpoint
from . import motivation_checkpoint_overdue
from . import motivation_checkpoint_type
from . import motivation_commission_level
from . import motivation_commission_line
from . import motivation_commission_line_bonus
from . import motivation_commission_plan
from . import motivation_commission_plan_bonus
from . import motivation_demo
from . import motivation_demo_response
from . import motivation_demo_email
from . import motivation_interaction_data
from . import motivation_interaction
from . import motivation_interaction_email
from . import motivation_interaction_result
from . import motivation_pool_notice
from . import motivation_response
from . import motivation_response_time
from . import motivation_pool_rule
from . import motivation_pool_rule_apply
from . import motivation_sales_plan
from . import motivation_sales_plan_bonus
from . import motivation_sales_target
from . import motivation_settlement
from . import motivation_transfer

# after the transfer log, whose reason kinds it extends
from . import motivation_pool_rule_response
from . import res_company
from . import res_config_settings

# res.partner: the ORM entry point, then one file per concern
from . import res_partner
from . import res_partner_access
from . import res_partner_assignment
from . import res_partner_duplicate
from . import res_partner_interaction
from . import res_partner_interaction_email
from . import res_partner_personal_data
from . import res_partner_agent
from . import res_partner_pool
from . import res_partner_registrar
from . import res_partner_regularity
from . import resource_calendar
from . import sale_order
