from . import motivation_interaction_report
