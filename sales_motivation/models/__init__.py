from . import crm_lead
from . import motivation_commission_line
from . import motivation_commission_plan
from . import motivation_settlement
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
