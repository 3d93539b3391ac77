from . import motivation_interaction_report
from . import motivation_response_report
from . import motivation_settlement_statement
from . import motivation_attainment_report
from . import motivation_leaderboard
