from . import motivation_settlement_wizard
