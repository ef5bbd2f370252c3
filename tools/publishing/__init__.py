"""Publishing: checks of the built site and atomic deploys with rollback.

Not a Pelican plugin: ``invoke publish`` and ``invoke rollback`` call it.
"""

from .deploy import DeployError, Target, deploy, rollback
from .output_checks import check_output

__all__ = ["DeployError", "Target", "check_output", "deploy", "rollback"]
