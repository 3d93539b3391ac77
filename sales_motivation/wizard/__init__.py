from . import motivation_checkpoint_waive
from . import motivation_release_wizard
from . import motivation_settlement_wizard
from . import motivation_interaction_wizard
from . import motivation_sales_plan_copy
from . import motivation_achievement_rebuild
from . import motivation_registration_reject
from . import motivation_caller_lookup
