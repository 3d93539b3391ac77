from . import test_access_crm_lead
from . import test_access_http
from . import test_access_res_partner
from . import test_pool
from . import test_pool_rules
from . import test_commission
from . import test_registrar
from . import test_settlement
